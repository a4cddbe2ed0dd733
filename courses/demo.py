"""Demo curriculum for ``manage.py seed_demo``: /skills/, ten modules, their lessons, assignments.

The modules are data, one JSON file each in ``courses/demo_content/`` (read in file-name order),
so the L&D team can edit a lesson without touching Python. A lesson's ``body`` is the lesson's
StreamField as Wagtail stores it: a list of ``{"type": ..., "value": ...}`` blocks.

Idempotent: pages are created only when missing (found by slug), with one published revision
each, so a second run changes nothing. Block ids are derived from the slugs, so they are stable.
"""

import datetime
import json
import uuid
from pathlib import Path

from django.utils import timezone
from wagtail.models import Site

from accounts.models import Team, User
from courses.models import Assignment, LessonPage, Skill, SkillIndexPage, SkillModulePage

CONTENT = Path(__file__).resolve().parent / "demo_content"

INDEX_INTRO = (
    "<p>Short, practical modules on the nine skills of a good AI mentor. Start with the "
    "orientation, then pick the skill your work needs most.</p>"
)
# (module slug, team slug or user e-mail, due in days)
ASSIGNMENTS = [
    ("mentoring-ai", "customer-care", 7),
    ("critical-thinking-ai-output", "customer-care", 21),
    ("ethical-awareness-fair-safe", "people-talent", 14),
    ("prompt-engineering-at-work", "employee@apprentice.example", -2),
]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def modules() -> list[dict]:
    """The demo modules, one JSON file each, in file-name order (the order they are listed in)."""
    return [json.loads(path.read_text("utf-8")) for path in sorted(CONTENT.glob("*.json"))]


def _body(module_slug: str, lesson_slug: str, blocks: list[dict]) -> list[dict]:
    return [
        {
            **block,
            "id": str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"apprentice/{module_slug}/{lesson_slug}/{i}")
            ),
        }
        for i, block in enumerate(blocks)
    ]


def seed(*, stdout) -> None:
    home = Site.objects.get(is_default_site=True).root_page
    index = SkillIndexPage.objects.child_of(home).first()
    if index is None:
        index = _publish(
            home, SkillIndexPage(title="Skill modules", slug="skills", intro=INDEX_INTRO)
        )
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    lessons_created = 0
    specs = modules()
    for spec in specs:
        module = SkillModulePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if module is None:
            module = _publish(
                index,
                SkillModulePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    skill=skills.get(spec["skill"]) if spec["skill"] else None,
                    level=spec["level"],
                    estimated_minutes=spec["minutes"],
                    completion_points=spec["points"],
                    summary=spec["summary"],
                ),
            )
        existing = set(LessonPage.objects.child_of(module).values_list("slug", flat=True))
        for lesson in spec["lessons"]:
            if lesson["slug"] in existing:
                continue
            _publish(
                module,
                LessonPage(
                    title=lesson["title"],
                    slug=lesson["slug"],
                    summary=lesson["summary"],
                    estimated_minutes=lesson["minutes"],
                    completion_points=10,
                    body=_body(spec["slug"], lesson["slug"], lesson["body"]),
                ),
            )
            lessons_created += 1
    manager = User.objects.filter(email="manager@apprentice.example").first()
    today = timezone.localdate()
    for module_slug, target, due_in in ASSIGNMENTS:
        module = SkillModulePage.objects.filter(slug=module_slug).first()
        if "@" in target:
            who = {"user": User.objects.filter(email=target).first()}
        else:
            who = {"team": Team.objects.filter(slug=target).first()}
        if module is None or None in who.values():
            continue
        Assignment.objects.get_or_create(
            module=module,
            **who,
            defaults={"due_date": today + datetime.timedelta(days=due_in), "assigned_by": manager},
        )
    stdout.write(
        f"Courses: {len(specs)} modules at {index.url}, {lessons_created} new lessons, "
        f"{len(ASSIGNMENTS)} assignments."
    )

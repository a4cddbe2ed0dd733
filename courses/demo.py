"""Demo curriculum for ``manage.py seed_demo``: /skills/, ten modules, their lessons, assignments.

Idempotent: pages are created only when missing (found by slug), with one published revision
each, so a second run changes nothing. Block ids are derived from the slugs, so they are stable.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import Team, User
from courses.demo_content import MODULES
from courses.models import Assignment, LessonPage, Skill, SkillIndexPage, SkillModulePage
from home.models import HomePage

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


def _body(module_slug: str, lesson_slug: str, blocks: list[tuple]) -> list[dict]:
    return [
        {
            "type": block_type,
            "value": value,
            "id": str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"apprentice/{module_slug}/{lesson_slug}/{i}")
            ),
        }
        for i, (block_type, value) in enumerate(blocks)
    ]


def seed(*, stdout) -> None:
    home = HomePage.objects.get(depth=2)
    index = SkillIndexPage.objects.child_of(home).first()
    if index is None:
        index = _publish(
            home, SkillIndexPage(title="Skill modules", slug="skills", intro=INDEX_INTRO)
        )
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    lessons_created = 0
    for slug, title, skill, level, minutes, points, summary, lessons in MODULES:
        module = SkillModulePage.objects.child_of(index).filter(slug=slug).first()
        if module is None:
            module = _publish(
                index,
                SkillModulePage(
                    title=title,
                    slug=slug,
                    skill=skills.get(skill) if skill else None,
                    level=level,
                    estimated_minutes=minutes,
                    completion_points=points,
                    summary=summary,
                ),
            )
        existing = set(LessonPage.objects.child_of(module).values_list("slug", flat=True))
        for lesson_slug, lesson_title, lesson_minutes, lesson_summary, blocks in lessons:
            if lesson_slug in existing:
                continue
            _publish(
                module,
                LessonPage(
                    title=lesson_title,
                    slug=lesson_slug,
                    summary=lesson_summary,
                    estimated_minutes=lesson_minutes,
                    completion_points=10,
                    body=_body(slug, lesson_slug, blocks),
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
        f"Courses: {len(MODULES)} modules at {index.url}, {lessons_created} new lessons, "
        f"{len(ASSIGNMENTS)} assignments."
    )

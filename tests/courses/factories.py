"""Factories for the courses app: a skills catalogue, modules and lessons under the home page.

Pages are built with ``parent.add_child(instance=...)`` (wagtail_factories is not installed).
"""

import uuid

from courses.models import LessonPage, Skill, SkillIndexPage, SkillModulePage
from home.models import HomePage

QUIZ_ID = "quiz-one"
REFLECTION_ID = "reflect-one"


def skill_index() -> SkillIndexPage:
    """The one /skills/ page (created on first use)."""
    existing = SkillIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.get(depth=2)
    return home.add_child(instance=SkillIndexPage(title="Skill modules", slug="skills"))


def module_page(*, title="Spotting hallucinations", skill="critical-thinking", points=50, **kw):
    index = skill_index()
    return index.add_child(
        instance=SkillModulePage(
            title=title,
            slug=kw.pop("slug", None) or f"module-{uuid.uuid4().hex[:8]}",
            skill=Skill.objects.get(slug=skill) if skill else None,
            summary=kw.pop("summary", "Learn to check what an AI claims."),
            completion_points=points,
            **kw,
        )
    )


def quiz_block(*, block_id=QUIZ_ID, pass_mark=50):
    """A two-question quiz: Q1 one answer (option 1 right), Q2 several (options 0 and 2 right)."""
    return {
        "type": "quiz",
        "id": block_id,
        "value": {
            "title": "Check your understanding",
            "intro": "",
            "pass_mark": pass_mark,
            "questions": [
                {
                    "question": "An AI cites a policy number you cannot find. What do you do?",
                    "kind": "single",
                    "options": [
                        {
                            "text": "Trust it; the AI read the handbook",
                            "correct": False,
                            "feedback": "FEEDBACK-TRUST: a citation you cannot find is a red flag.",
                        },
                        {
                            "text": "Check the source before using it",
                            "correct": True,
                            "feedback": "FEEDBACK-CHECK: yes, verify against the source.",
                        },
                    ],
                },
                {
                    "question": "Which are signs of a hallucination?",
                    "kind": "multiple",
                    "options": [
                        {
                            "text": "Precise figures with no source",
                            "correct": True,
                            "feedback": "FEEDBACK-FIGURES",
                        },
                        {
                            "text": "A polite greeting",
                            "correct": False,
                            "feedback": "FEEDBACK-GREETING",
                        },
                        {
                            "text": "A named person nobody has heard of",
                            "correct": True,
                            "feedback": "FEEDBACK-PERSON",
                        },
                    ],
                },
            ],
        },
    }


def reflection_block(*, block_id=REFLECTION_ID):
    return {
        "type": "reflection",
        "id": block_id,
        "value": {"prompt": "Where would this have caught you out?", "guidance": ""},
    }


def text_block(text="<p>Read every AI answer as a draft.</p>"):
    return {"type": "text", "id": str(uuid.uuid4()), "value": text}


def lesson_page(module, *, title="Lesson", body=None, points=10, live=True, **kw) -> LessonPage:
    lesson = LessonPage(
        title=title,
        slug=kw.pop("slug", None) or f"lesson-{uuid.uuid4().hex[:8]}",
        completion_points=points,
        body=body if body is not None else [text_block()],
        live=live,
        **kw,
    )
    return module.add_child(instance=lesson)

"""The demo curriculum seeds real, complete modules and renders."""

import pytest
from django.core.management import call_command

from courses.models import Assignment, LessonPage, SkillModulePage
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def blocks_of(module, block_type):
    return [
        block
        for lesson in LessonPage.objects.child_of(module)
        for block in lesson.body
        if block.block_type == block_type
    ]


def test_demo_seeds_orientation_and_nine_skill_modules_with_real_lessons(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    modules = list(SkillModulePage.objects.live().order_by("path"))
    assert modules[0].title.startswith("Mentoring AI: observe, correct, add context")
    assert modules[0].skill is None
    assert {m.skill.slug for m in modules[1:]} == {
        "critical-thinking",
        "data-literacy",
        "prompt-engineering",
        "communication",
        "context-awareness",
        "problem-solving",
        "ethical-awareness",
        "collaboration",
        "adaptability",
    }
    for module in modules:
        assert LessonPage.objects.live().child_of(module).count() >= 2, module.title
    for slug in ("critical-thinking", "prompt-engineering", "ethical-awareness"):
        module = SkillModulePage.objects.get(skill__slug=slug)
        assert LessonPage.objects.child_of(module).count() >= 4
        assert blocks_of(module, "quiz")
        assert blocks_of(module, "ai_example")
        assert blocks_of(module, "reflection")
    assert Assignment.objects.count() == 4

    # Every demo page renders for a signed-in employee, and every AI example validates.
    client.force_login(UserFactory())
    assert client.get("/skills/").status_code == 200
    for module in modules:
        assert client.get(module.url).status_code == 200
        for lesson in LessonPage.objects.child_of(module):
            assert client.get(lesson.url).status_code == 200, lesson.url
            lesson.body.stream_block.clean(lesson.body)


def test_demo_employee_sees_assigned_and_overdue_modules(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    client.login(email="employee@apprentice.example", password=settings.DEMO_PASSWORD)
    html = client.get("/learn/").content.decode()
    assert "Mentoring AI" in html
    assert "Overdue since" in html

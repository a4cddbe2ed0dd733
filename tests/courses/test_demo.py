"""The demo curriculum seeds real, complete modules and renders.

Expectations come from the data files (``courses/demo_content/``), so editing the copy there
breaks no test; the shape (an orientation, one module per skill, complete lessons) is pinned.
"""

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils.html import escape

from accounts.models import User
from courses.demo import ASSIGNMENTS
from courses.demo import modules as demo_modules
from courses.models import Assignment, LessonPage, Skill, SkillModulePage
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
    specs = demo_modules()
    modules = list(SkillModulePage.objects.live().order_by("path"))
    assert [m.slug for m in modules] == [spec["slug"] for spec in specs]
    assert [m.title for m in modules] == [spec["title"] for spec in specs]
    # The orientation first, then one module for each of the nine skills.
    assert modules[0].skill is None
    assert sorted(m.skill.slug for m in modules[1:]) == sorted(
        Skill.objects.values_list("slug", flat=True)
    )
    assert Skill.objects.count() == 9
    for module in modules:
        assert LessonPage.objects.live().child_of(module).count() >= 2, module.title
    for slug in ("critical-thinking", "prompt-engineering", "ethical-awareness"):
        module = SkillModulePage.objects.get(skill__slug=slug)
        assert LessonPage.objects.child_of(module).count() >= 4
        assert blocks_of(module, "quiz")
        assert blocks_of(module, "ai_example")
        assert blocks_of(module, "reflection")
    assert Assignment.objects.count() == len(ASSIGNMENTS)

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
    employee = User.objects.get(email="employee@apprentice.example")
    assigned = Assignment.objects.filter(
        Q(user=employee)
        | Q(team__memberships__user=employee, team__memberships__ended_at__isnull=True)
    )
    assert assigned.count() >= 2
    for assignment in assigned:
        assert escape(assignment.module.title) in html
    assert "Overdue since" in html

"""A newcomer's welcome, "My learning" beyond assignments, and "points" on the person page."""

import pytest

from courses.models import LessonProgress, ModuleCompletion
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.courses.factories import lesson_page, module_page, text_block

pytestmark = pytest.mark.django_db


def test_a_newcomer_is_welcomed_not_welcomed_back_and_pointed_at_orientation(client):
    orientation = module_page(title="Getting started with Apprentice", skill="")
    user = UserFactory(display_name="Nia")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Welcome, Nia" in body
    assert "Welcome back" not in body
    assert f'href="{orientation.url}"' in body
    assert "Getting started with Apprentice" in body


def test_someone_who_has_started_is_welcomed_back_without_the_nudge(client):
    module_page(title="Getting started with Apprentice", skill="")
    user = UserFactory(display_name="Omar")
    points_award(user=user, amount=10, kind="manual", source_key="t:1")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Welcome back, Omar" in body
    assert "Getting started with Apprentice" not in body


def test_my_learning_lists_certificates_and_modules_started_without_an_assignment(client):
    user = UserFactory()
    finished = module_page(title="Finished module")
    lesson = lesson_page(finished, title="Only lesson", body=[text_block()])
    LessonProgress.objects.create(user=user, lesson=lesson)
    ModuleCompletion.objects.create(user=user, module=finished)
    started = module_page(title="Half-way module")
    first = lesson_page(started, title="One", body=[text_block()])
    lesson_page(started, title="Two", body=[text_block()])
    LessonProgress.objects.create(user=user, lesson=first)
    module_page(title="Untouched module")
    client.force_login(user)
    body = client.get("/learn/").content.decode()
    assert f'href="/learn/certificates/{finished.pk}/"' in body
    assert "Certificate: Finished module" in body
    started_section = body[body.index("Started on your own") : body.index("Your certificates")]
    assert "Half-way module" in started_section
    assert "1 of 2 lessons done" in started_section
    assert "Finished module" not in started_section
    assert "Untouched module" not in body


def test_the_person_page_says_points_not_xp(client):
    user = UserFactory()
    points_award(user=user, amount=25, kind="manual", source_key="t:1")
    client.force_login(user)
    body = client.get(f"/leaderboard/people/{user.pk}/").content.decode()
    assert "25 points" in body
    assert " XP" not in body

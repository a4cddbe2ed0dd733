"""Remembered page routes (home/page_cache.py) never outlive the page tree they came from."""

import pytest

from tests.accounts.factories import UserFactory
from tests.courses.factories import lesson_page, module_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(client):
    client.force_login(UserFactory())
    return lesson_page(module_page(), title="Check the numbers")


def test_a_remembered_lesson_costs_fewer_queries(client, lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(lesson.url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(lesson.url).status_code == 200
    assert len(again) <= len(first) - 4  # no walk down the tree, no site lookup


def test_an_unpublished_lesson_is_not_served_from_memory(client, lesson):
    url = lesson.url
    assert client.get(url).status_code == 200
    lesson.unpublish()
    assert client.get(url).status_code == 404


def test_a_renamed_path_is_followed_at_once(client, lesson):
    old = lesson.url
    assert client.get(old).status_code == 200
    lesson.slug = "check-the-numbers-again"
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert client.get(old).status_code == 404
    assert "Check the numbers" in client.get(lesson.url).content.decode()


def test_a_moved_lesson_is_found_under_its_new_module(client, lesson):
    old = lesson.url
    assert client.get(old).status_code == 200
    other = module_page(title="Another module")
    lesson.move(other, pos="last-child")
    lesson.refresh_from_db()
    moved = client.get(old)  # Wagtail's automatic redirect, not the remembered page
    assert (moved.status_code, moved["Location"]) == (301, lesson.url)
    assert client.get(lesson.url).status_code == 200


def test_a_private_lesson_stays_private_after_it_was_remembered(client, lesson):
    from wagtail.models import PageViewRestriction

    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    body = client.get(lesson.url).content.decode()
    assert 'name="password"' in body
    assert "Read every AI answer as a draft." not in body

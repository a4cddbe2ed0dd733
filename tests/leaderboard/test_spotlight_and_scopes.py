"""The dashboard's spotlight and the board navigation: cached, shared, and never stale about
who may be shown or which boards exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaderboard import scope_list
from leaderboard.models import ScopeSettings
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def spotlight(client) -> str:
    body = client.get("/").content.decode()
    return body.split('id="spotlight-title"', 1)[1].split("</section>", 1)[0]


def test_spotlight_is_shared_and_drops_someone_who_hides_at_once(
    client, django_capture_on_commit_callbacks
):
    star = UserFactory(first_name="Star", last_name="Mentor")
    viewer = UserFactory()
    points_award(user=star, amount=40, kind="x", source_key="s:1")
    client.force_login(viewer)
    assert "Star Mentor" in spotlight(client) and "40 points" in spotlight(client)
    client.force_login(star)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:profile"), {"first_name": "Star", "last_name": "Mentor"}
        )
    assert response.status_code == 302
    client.force_login(viewer)
    assert "Star Mentor" not in spotlight(client)
    assert "No points earned this month yet" in spotlight(client)


def test_scope_list_is_read_without_scanning_the_standings():
    user = UserFactory()
    points_award(user=user, amount=5, kind="x", source_key="k:1", skill="data-literacy")
    ScopeSettings.objects.create(scope="week-77", title="Tone week")
    with CaptureQueriesContext(connection) as queries:
        found = dict(scope_list.available_scopes())
    assert found["skill-data-literacy"] == "Data literacy"
    assert found["week-77"] == "Tone week"  # saved, no awards yet
    assert "all" not in found
    assert not any("DISTINCT" in q["sql"].upper() for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as again:
        scope_list.available_scopes()
    assert len(again) == 0  # cached


def test_renaming_a_week_shows_in_the_board_navigation_at_once(client):
    client.force_login(UserFactory())
    settings_row = ScopeSettings.objects.create(scope="week-78", title="Refund week")
    assert "Refund week" in client.get("/leaderboard/").content.decode()
    settings_row.title = "Kettle week"
    settings_row.save()
    body = client.get("/leaderboard/").content.decode()
    assert "Kettle week" in body and "Refund week" not in body
    settings_row.delete()
    assert "Kettle week" not in client.get("/leaderboard/").content.decode()

"""The /api/v1/me/ endpoints: session or bearer token, own data only."""

import pytest
from wagtail.models import APIToken

from leaderboard.services import points_award
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_anonymous_requests_are_refused(client):
    assert client.get("/api/v1/me/progress/").status_code == 401
    assert client.get("/api/v1/me/signals/").status_code == 401


@pytest.mark.django_db
def test_progress_with_a_session_matches_the_ledger(client):
    user = UserFactory()
    points_award(
        user=user, amount=25, kind="lesson.completed", source_key="t:1", skill="communication"
    )
    client.force_login(user)
    data = client.get("/api/v1/me/progress/").json()
    assert data["points"] == 25
    assert data["rank"] == 1
    assert {"slug": "communication", "name": "Communication", "points": 25} in data["skills"]


@pytest.mark.django_db
def test_bearer_token_identifies_the_user_and_a_revoked_one_is_refused(client):
    user = UserFactory()
    points_award(user=user, amount=7, kind="manual", source_key="t:2")
    token, plaintext = APIToken.create_token(user=user, name="laptop")
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/me/progress/", headers=headers).json()["points"] == 7
    token.revoke()
    assert client.get("/api/v1/me/progress/", headers=headers).status_code == 401
    bad = {"Authorization": "Bearer wagtail_not-a-real-token"}
    assert client.get("/api/v1/me/signals/", headers=bad).status_code == 401


@pytest.mark.django_db
def test_signals_are_the_viewers_own(client):
    client.force_login(UserFactory())
    data = client.get("/api/v1/me/signals/").json()
    assert data["flags"] == []
    assert data["blind_spots"] == 0


def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me/progress/" in schema["paths"]
    assert "/api/v1/leaderboard/{scope}/" in schema["paths"]

"""Open boards follow a person hiding themselves; a new challenge week is in the board tabs at
once; the phone's scope picker goes to the chosen board."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from leaderboard.selectors import ANONYMOUS
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge, make_week
from tests.leaderboard.test_consumers import award, connected_socket, make_user


@pytest.fixture
def anyio_backend():
    return "asyncio"


@database_sync_to_async
def hide_from_boards(user):
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": user.display_name, "first_name": "", "last_name": ""},
    )  # the "show me on public leaderboards" box left unticked
    assert response.status_code == 302


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_hiding_yourself_redraws_the_open_boards_you_are_on():
    viewer = await make_user()
    hider = await make_user(display_name="Visible Vera")
    await award(hider, 40, "a")
    await award(viewer, 10, "a")
    communicator, snapshot = await connected_socket(viewer)
    try:
        assert snapshot["top"][0]["name"] == "Visible Vera"
        await hide_from_boards(hider)
        update = await communicator.receive_json_from(timeout=3)
        assert update["type"] == "board"
        assert update["top"][0]["name"] == ANONYMOUS
        assert update["top"][0]["points"] == 40
    finally:
        await communicator.disconnect()


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_saving_a_profile_without_a_visible_change_sends_nothing():
    viewer = await make_user()
    other = await make_user(display_name="Same Sam")
    await award(other, 40, "a")
    communicator, _ = await connected_socket(viewer)
    try:

        @sync_to_async
        def save_same():
            client = Client()
            client.force_login(other)
            client.post(
                reverse("accounts:profile"),
                {
                    "display_name": "Same Sam",
                    "first_name": other.first_name,
                    "last_name": other.last_name,
                    "show_on_leaderboards": "on",
                },
            )

        await save_same()
        assert await communicator.receive_nothing(timeout=1)
    finally:
        await communicator.disconnect()


@pytest.mark.django_db
def test_a_new_challenge_week_is_in_the_board_tabs_at_once(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(team=TeamFactory(name="Care", slug="care"))
    client.force_login(user)
    assert b"Kettle week" not in client.get("/leaderboard/").content  # the tab list is cached
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(challenges=[make_challenge()], title="Kettle week")
    html = client.get("/leaderboard/").content.decode()
    assert f'href="/leaderboard/week-{week.pk}/"' in html
    assert f'<option value="week-{week.pk}">Kettle week</option>' in html


@pytest.mark.django_db
def test_the_scope_picker_goes_to_the_chosen_board(client):
    client.force_login(UserFactory())
    response = client.get("/leaderboard/go/", {"scope": "skill-critical-thinking"})
    assert response.status_code == 302
    assert response["Location"] == "/leaderboard/skill-critical-thinking/"
    response = client.get("/leaderboard/go/", {"scope": "all", "view": "teams"})
    assert response["Location"] == "/leaderboard/all/teams/"
    assert client.get("/leaderboard/go/", {"scope": "../admin"}).status_code == 404

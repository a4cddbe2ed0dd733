"""The live board websocket, driven with WebsocketCommunicator against the real ASGI stack."""

import json
import threading

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from leaderboard import consumers
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@database_sync_to_async
def make_user(**kwargs):
    return UserFactory(**kwargs)


@database_sync_to_async
def session_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@database_sync_to_async
def award(user, amount, key, **kwargs):
    return points_award(user=user, amount=amount, kind="challenge.flags", source_key=key, **kwargs)


def socket(path="/ws/leaderboard/all/", session=None, origin="http://testserver"):
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if session:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def place(frame: dict) -> dict | None:
    """The viewer's rank and points in a frame (its ``me`` row also has key, name and url)."""
    me = frame["me"]
    return {"rank": me["rank"], "points": me["points"]} if me else None


async def connected_socket(user, path="/ws/leaderboard/all/"):
    communicator = socket(path, session=await session_for(user))
    connected, _ = await communicator.connect()
    assert connected
    snapshot = await communicator.receive_json_from(timeout=3)
    assert snapshot["type"] == "board"
    return communicator, snapshot


async def test_anonymous_socket_is_refused():
    communicator = socket()
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401
    await communicator.disconnect()


async def test_foreign_origin_socket_is_refused():
    user = await make_user()
    communicator = socket(session=await session_for(user), origin="https://evil.example")
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4403
    await communicator.disconnect()


async def test_unknown_scope_socket_is_refused():
    user = await make_user()
    communicator = socket("/ws/leaderboard/everything/", session=await session_for(user))
    connected, code = await communicator.connect()
    assert not connected and code == 4404
    await communicator.disconnect()


async def test_socket_starts_with_a_snapshot_with_the_viewers_own_rank():
    leader, viewer = await make_user(), await make_user()
    await award(leader, 50, "a")
    await award(viewer, 20, "a")
    communicator, snapshot = await connected_socket(viewer)
    try:
        assert [row["points"] for row in snapshot["top"]] == [50, 20]
        assert place(snapshot) == {"rank": 2, "points": 20}
        assert snapshot["me"]["name"] == viewer.public_name
        # The top is shared by every viewer; the viewer's row is the one with their key.
        assert [row["key"] == snapshot["me"]["key"] for row in snapshot["top"]] == [False, True]
    finally:
        await communicator.disconnect()


async def test_ten_awards_in_one_window_become_one_broadcast(monkeypatch):
    """The broadcaster's window stays open until the burst is in, so no clock decides the count."""
    viewer, earner = await make_user(), await make_user()
    communicator, _ = await connected_socket(viewer)
    burst_in = threading.Event()
    builds = []
    build = consumers._build_broadcast

    def build_after_the_burst(scope):
        # Runs on the socket thread pool, so the event loop and the awards go on meanwhile.
        burst_in.wait(timeout=10)
        builds.append(scope)
        return build(scope)

    monkeypatch.setattr(consumers, "_build_broadcast", build_after_the_burst)
    try:
        for i in range(10):
            await award(earner, 3, f"burst:{i}")
        burst_in.set()
        update = await communicator.receive_json_from(timeout=5)
        assert update["type"] == "board"
        assert update["top"][0]["points"] == 30  # every award of the burst is in the one update
        # The next award after the window gets its own broadcast, the very next frame: nothing
        # else was sent in between.
        await award(earner, 5, "later")
        later = await communicator.receive_json_from(timeout=5)
        assert later["top"][0]["points"] == 35
        assert builds == ["all", "all"]
    finally:
        await communicator.disconnect()


async def test_broadcast_reaches_every_watcher_with_their_own_rank():
    first, second, earner = await make_user(), await make_user(), await make_user()
    await award(first, 10, "a")
    await award(second, 5, "a")
    one, _ = await connected_socket(first)
    two, _ = await connected_socket(second)
    try:
        await award(earner, 100, "big")
        update_one = await one.receive_json_from(timeout=3)
        update_two = await two.receive_json_from(timeout=3)
        assert place(update_one) == {"rank": 2, "points": 10}
        assert place(update_two) == {"rank": 3, "points": 5}
        assert update_one["version"] == update_two["version"]
        assert update_one["top"] == update_two["top"]
    finally:
        await one.disconnect()
        await two.disconnect()


async def test_malformed_client_messages_are_ignored_without_closing_anyone():
    user, other = await make_user(), await make_user()
    bad, _ = await connected_socket(user)
    good, _ = await connected_socket(other)
    try:
        await bad.send_to(text_data="{not json")
        await bad.send_to(text_data=json.dumps([1, 2, 3]))
        await bad.send_to(text_data=json.dumps({"type": "drop tables"}))
        await bad.send_to(bytes_data=b"\x00\xff")
        await bad.send_json_to({"type": "resync"})
        resync = await bad.receive_json_from(timeout=3)
        assert resync["type"] == "board"
        await award(other, 7, "still-live")
        assert (await good.receive_json_from(timeout=3))["me"]["points"] == 7
        # The junk made no frame of its own: after the resync, the next frame is the update.
        update = await bad.receive_json_from(timeout=3)
        assert [row["points"] for row in update["top"]] == [7]
    finally:
        await bad.disconnect()
        await good.disconnect()


async def test_logout_closes_the_users_sockets():
    user = await make_user()
    session = await session_for(user)
    communicator = socket(session=session)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from(timeout=3)

    @database_sync_to_async
    def log_out():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        return client.post("/accounts/logout/")

    response = await log_out()
    assert response.status_code in (200, 302)
    closed = await communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4001}
    await communicator.disconnect()


async def test_near_me_socket_redraws_the_five_above_and_below_live():
    users = [await make_user(team=False) for _ in range(20)]
    for i, user in enumerate(users):
        await award(user, 10 + i, "seed")  # ranks 20 (10 points) .. 1 (29 points)
    viewer = users[10]  # 20 points: rank 10
    communicator, snapshot = await connected_socket(viewer, "/ws/leaderboard/all/?view=near")
    plain, plain_snapshot = await connected_socket(users[0])
    try:
        assert plain_snapshot["near"] is None  # only a "near me" socket carries the rows
        assert [row["rank"] for row in snapshot["near"]] == list(range(5, 16))
        assert [row["points"] for row in snapshot["near"]] == list(range(25, 14, -1))
        assert [row["me"] for row in snapshot["near"]] == [False] * 5 + [True] + [False] * 5
        # Someone from below overtakes the viewer: the near rows move with them.
        climber = users[5]  # 15 points, rank 15
        # 22 points, tied with users[12] who got there first: rank 9; the viewer drops to 11.
        await award(climber, 7, "climb")
        update = await communicator.receive_json_from(timeout=3)
        assert place(update) == {"rank": 11, "points": 20}
        assert [row["rank"] for row in update["near"]] == list(range(6, 17))
        assert [row["points"] for row in update["near"]] == [
            24, 23, 22, 22, 21, 20, 19, 18, 17, 16, 14
        ]  # fmt: skip
        assert update["near"][3]["name"] == climber.public_name
        assert update["near"][2]["name"] == users[12].public_name
        assert update["near"][5]["me"] is True
        assert (await plain.receive_json_from(timeout=3))["near"] is None
    finally:
        await communicator.disconnect()
        await plain.disconnect()


async def test_near_me_rows_hide_names_of_people_who_opted_out():
    shy = await make_user(first_name="Sasha", last_name="Shy", show_on_leaderboards=False)
    viewer = await make_user()
    await award(shy, 30, "a")
    await award(viewer, 10, "a")
    communicator, snapshot = await connected_socket(viewer, "/ws/leaderboard/all/?view=near")
    try:
        assert [row["name"] for row in snapshot["near"]] == ["Anonymous mentor", viewer.public_name]
        assert snapshot["near"][0]["url"] == ""
    finally:
        await communicator.disconnect()

"""Websockets under hostile input: unknown paths close cleanly, garbage frames are ignored.

Driven with WebsocketCommunicator against the real ASGI application (origin check, session
auth, router), as a browser would reach it.
"""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from config.routing import CLOSE_NOT_FOUND
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@database_sync_to_async
def signed_in_session() -> str:
    client = Client()
    client.force_login(UserFactory())
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(path: str, session: str | None = None) -> WebsocketCommunicator:
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if session:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


UNKNOWN_PATHS = ["/ws/", "/ws/leaderboard/all", "/ws/leaderboard/all/extra/", "/", "/ws/x/%00/"]


async def test_unknown_paths_close_with_4404_for_anyone():
    session = await signed_in_session()
    for path in UNKNOWN_PATHS:
        for who in (session, None):
            communicator = socket(path, session=who)
            connected, _ = await communicator.connect(timeout=3)
            assert connected, path
            closed = await communicator.receive_output(timeout=3)
            assert closed == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}, path
            await communicator.wait(timeout=3)


GARBAGE = [
    "[" * 100_000 + "]" * 100_000,
    '{"type": ' * 50_000,
    "not json at all",
    json.dumps({"type": "resync", "extra": "x" * 100_000}),
    json.dumps(["resync"]),
    json.dumps({"type": ["resync"]}),
    "\ud800",
]


async def test_garbage_frames_leave_the_board_socket_usable():
    communicator = socket("/ws/leaderboard/all/", session=await signed_in_session())
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    assert (await communicator.receive_json_from(timeout=3))["type"] == "board"
    for frame in GARBAGE:
        await communicator.send_to(text_data=frame)
    await communicator.send_to(bytes_data=b"\x00\xff" * 1000)
    assert await communicator.receive_nothing(timeout=0.5)
    # Still alive and still answering: a well-formed resync gets a fresh snapshot.
    await communicator.send_json_to({"type": "resync"})
    assert (await communicator.receive_json_from(timeout=3))["type"] == "board"
    await communicator.disconnect()

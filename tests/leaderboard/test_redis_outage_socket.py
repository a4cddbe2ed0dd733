"""Live boards come back after a Redis outage (a real redis-server that the test restarts).

The channel layer points at a ``redis-server`` child process. A socket is open, the server is
killed (taking every group membership with it, as a Redis without persistence does) and started
again: a new socket, the browser's reconnect, must be accepted at once with a fresh snapshot and
then receive the next award's update. Runs in both CI passes (it starts its own server).
"""

import pytest

from tests.leaderboard.test_consumers import award, connected_socket, make_user
from tests.support.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def test_a_new_socket_gets_its_snapshot_and_updates_after_redis_restarts(redis_server):  # noqa: F811
    viewer, earner = await make_user(), await make_user()
    before, _ = await connected_socket(viewer)
    await before.disconnect()
    await award(earner, 30, "during-the-outage-1")  # awards are stored while Redis is down too
    redis_server.kill()
    await award(earner, 5, "during-the-outage-2")
    redis_server.start()
    after, snapshot = await connected_socket(viewer)
    try:
        assert snapshot["top"][0]["points"] == 35
        await award(earner, 40, "after-the-outage")
        update = await after.receive_json_from(timeout=5)
        assert update["type"] == "board"
        assert update["top"][0]["points"] == 75
    finally:
        await after.disconnect()

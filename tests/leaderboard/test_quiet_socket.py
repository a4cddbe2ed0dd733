"""A live-board socket that stays quiet for a minute on Redis still receives the next update.

redis-py 8 made ``socket_timeout`` default to 5 s, which aborted channels-redis's blocking 5 s read
and closed every idle socket after about 5 s (code 1011). This test holds a socket silent for 60 s
against the real Redis channel layer, then awards points and expects the update: it fails with the
default client settings and passes with the explicit ones in ``CHANNEL_LAYERS``. It runs in CI's
Redis pass; the in-memory layer has no socket to time out.
"""

import os

import pytest
from channels.layers import get_channel_layer

from tests.leaderboard.test_consumers import award, connected_socket, make_user

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="Needs REDIS_URL: the timeout is Redis's."
    ),
]

QUIET_SECONDS = 60


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def test_socket_quiet_for_a_minute_receives_the_next_update():
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"
    viewer, earner = await make_user(), await make_user()
    communicator, _ = await connected_socket(viewer)
    try:
        # Nothing is sent for a minute; a consumer killed by a read timeout ends its
        # application future, which receive_nothing and receive_json_from then raise.
        assert await communicator.receive_nothing(timeout=QUIET_SECONDS, interval=1)
        await award(earner, 40, "after-the-quiet")
        update = await communicator.receive_json_from(timeout=5)
        assert update["type"] == "board"
        assert update["top"][0]["points"] == 40
    finally:
        await communicator.disconnect()

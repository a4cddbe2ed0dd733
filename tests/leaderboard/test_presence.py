"""Board presence and group membership leave with the socket, however it ends.

Through real daphne servers (``asgi_live_server``) and raw websocket clients: a client that
vanishes without a close frame, a worker killed with its sockets open, and a storm of sockets
on one worker with a bounded Redis pool. With the communicator: a consumer killed before its
disconnect ran (what daphne does to one that takes too long). And the sweep and the broadcast's
watcher count against rows of live, dead and replaced workers.
"""

import asyncio
import copy
import io
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone

from leaderboard import broadcast, presence
from leaderboard.consumers import _build_tails
from leaderboard.models import BoardPresence
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.leaderboard.test_consumers import connected_socket, make_user

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

ON_REDIS = bool(os.environ.get("REDIS_URL"))
# Waiting for a server-side clean-up; generous, as the machine may be busy.
DEADLINE = 60


@pytest.fixture
def anyio_backend():
    return "asyncio"


POOL = 10


@pytest.fixture
def asgi_server_options(settings):
    # A small Redis pool, so a storm has to wait for connections (the server forks after this).
    if "pool_max_connections" in settings.CHANNEL_LAYERS["default"].get("CONFIG", {}):
        layers = copy.deepcopy(settings.CHANNEL_LAYERS)
        layers["default"]["CONFIG"]["pool_max_connections"] = POOL
        settings.CHANNEL_LAYERS = layers
    # The handshake limits of `make serve` (daphne's CLI default of 5 s fails a storm).
    return {
        "websocket_connect_timeout": 30,
        "websocket_handshake_timeout": 30,
        "application_close_timeout": 30,
    }


async def signed_in(count: int) -> list[tuple]:
    """``count`` new users and a session key of each (the ORM off the event loop)."""

    def create():
        users = [UserFactory(team=False) for _ in range(count)]
        return [(user, session_key(user)) for user in users]

    return await database_sync_to_async(create)()


def session_key(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


async def open_board(server, key: str):
    """A raw websocket client on the all-time board; returns it after the first snapshot."""
    from websockets.asyncio.client import connect

    ws = await connect(
        f"{server.ws_url}/ws/leaderboard/all/",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={key}"},
        open_timeout=DEADLINE,
        ping_interval=None,
    )
    first = await asyncio.wait_for(ws.recv(), timeout=DEADLINE)
    assert json.loads(first)["type"] == "board"
    return ws


async def group_members(group: str) -> set[str]:
    """Channel names in a group of the test process's layer (Redis: shared with the server)."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # in-memory layer
        return set(layer.groups.get(group, {}))
    conn = layer.connection(layer.consistent_hash(group))
    return {member.decode() for member in await conn.zrange(layer._group_key(group), 0, -1)}


async def wait_until(condition, what: str):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while not await condition():
        if loop.time() > deadline:
            pytest.fail(f"Still waiting after {DEADLINE} s for {what}.")
        await asyncio.sleep(0.2)


async def rows() -> int:
    return await database_sync_to_async(BoardPresence.objects.count)()


async def channels_of_board() -> set[str]:
    return await database_sync_to_async(
        lambda: set(BoardPresence.objects.values_list("channel_name", flat=True))
    )()


async def test_client_vanishing_without_close_leaves_no_presence_or_membership(asgi_live_server):
    ((user, key),) = await signed_in(1)
    ws = await open_board(asgi_live_server, key)
    (channel,) = await channels_of_board()
    if ON_REDIS:
        # The socket is in its user's group; the board's group holds its worker, not the socket.
        assert channel in await group_members(broadcast.user_group(user.pk))
        (member,) = await group_members(broadcast.group_name("all"))
        assert member != channel

    ws.transport.abort()  # the TCP connection drops: no close frame

    async def gone():
        return await rows() == 0

    await wait_until(gone, "the presence row of the vanished client")
    if ON_REDIS:
        assert channel not in await group_members(broadcast.user_group(user.pk))

        async def worker_left():
            return not await group_members(broadcast.group_name("all"))

        await wait_until(worker_left, "the worker leaving the board's group after its last socket")


async def test_consumer_killed_before_its_disconnect_is_cleaned_by_the_next_heartbeat():
    viewer = await make_user()
    communicator, _ = await connected_socket(viewer)
    (channel,) = await channels_of_board()
    assert channel in await group_members(broadcast.user_group(viewer.pk))
    assert len(await group_members(broadcast.group_name("all"))) == 1  # this process's worker

    # What daphne does to a consumer that has not finished ``application_close_timeout``
    # seconds after its client left: the task is cancelled, disconnect() never runs.
    communicator.future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await communicator.future
    assert await channels_of_board() == {channel}

    from leaderboard import presence

    await presence.keep_once()
    assert await rows() == 0
    assert channel not in await group_members(broadcast.user_group(viewer.pk))

    async def worker_left():
        return not await group_members(broadcast.group_name("all"))

    await wait_until(worker_left, "the worker leaving the board's group")


async def test_killed_worker_rows_and_groups_are_swept_at_the_next_start(asgi_live_server):
    people = await signed_in(3)
    sockets = [await open_board(asgi_live_server, key) for _, key in people]
    channels = await channels_of_board()
    assert len(channels) == 3
    (worker,) = await database_sync_to_async(
        lambda: set(BoardPresence.objects.values_list("worker", flat=True))
    )()
    pid = int(worker.split(":")[1])

    os.kill(pid, signal.SIGKILL)  # the worker dies with its sockets open
    for child in multiprocessing.active_children():
        if child.pid == pid:
            child.join(timeout=DEADLINE)  # reaped: the pid is gone, not a zombie
    for ws in sockets:
        ws.transport.abort()
    assert await channels_of_board() == channels  # nobody said goodbye

    # The next worker's first heartbeat is its start-up sweep (here, this process's).
    from leaderboard import presence

    await presence.keep_once()
    assert await rows() == 0
    if ON_REDIS:
        for user, _ in people:
            assert not channels & await group_members(broadcast.user_group(user.pk))


def _presence(channel: str, user, *, worker: str, seen_ago: float = 0) -> BoardPresence:
    return BoardPresence.objects.create(
        channel_name=channel,
        scope="all",
        user=user,
        worker=worker,
        seen_at=timezone.now() - timedelta(seconds=seen_ago),
    )


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


async def test_sweep_removes_dead_workers_rows_and_groups_and_keeps_live_ones():
    live, stale, ended = "specific.a!live", "specific.b!stale", "specific.c!ended"
    users = [await make_user() for _ in range(3)]
    stale_after = settings.LEADERBOARD_PRESENCE_STALE_AFTER
    host = socket.gethostname()

    def create_rows():
        _presence(live, users[0], worker="other-host:7:aaaa", seen_ago=5)
        _presence(stale, users[1], worker="other-host:8:bbbb", seen_ago=stale_after + 5)
        # A worker of this host whose process has ended (restarted): swept at once.
        _presence(ended, users[2], worker=f"{host}:{_ended_pid()}:cccc", seen_ago=5)

    await database_sync_to_async(create_rows)()
    layer = get_channel_layer()
    for channel, user in zip((live, stale, ended), users, strict=True):
        await layer.group_add(broadcast.user_group(user.pk), channel)

    from leaderboard import presence

    gone = await presence.keep_once()

    assert {row[0] for row in gone} == {stale, ended}
    assert await channels_of_board() == {live}
    members = [await group_members(broadcast.user_group(user.pk)) for user in users]
    assert members == [{live}, set(), set()]


def test_broadcast_counts_no_ghost_watchers():
    """A worker's batch reads the sockets it holds, never presence rows (live or ghost) of
    sockets it does not hold."""
    from leaderboard import fanout, payloads

    watcher, ghost, elsewhere = (UserFactory(team=False) for _ in range(3))
    for user in (watcher, ghost, elsewhere):
        points_award(user=user, amount=10, kind="x", source_key=f"k{user.pk}")
    stale_after = settings.LEADERBOARD_PRESENCE_STALE_AFTER
    _presence("c-live", watcher, worker=presence.worker_id(), seen_ago=1)
    _presence("c-ghost", ghost, worker="other-host:2:bbbb", seen_ago=stale_after + 1)
    _presence("c-elsewhere", elsewhere, worker="other-host:1:aaaa", seen_ago=1)
    fanout.register(payloads.Watcher(channel_name="c-live", scope="all", user_id=watcher.pk))
    try:
        watchers = fanout.local_watchers("all")
        tails = _build_tails("all", watchers)
    finally:
        fanout.unregister("c-live")

    assert [w.user_id for w in watchers] == [watcher.pk]
    assert set(tails) == {"c-live"}
    assert fanout.local_watchers("all") == []


def redis_clients() -> int:
    """Connections to the test's Redis database, less this one."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    db = client.connection_pool.connection_kwargs.get("db", 0)
    try:
        return sum(1 for c in client.client_list() if int(c.get("db", -1)) == db) - 1
    finally:
        client.close()


@pytest.mark.skipif(not ON_REDIS, reason="Needs REDIS_URL: the pool is the Redis layer's.")
async def test_storm_of_100_sockets_50_at_a_time_all_connect_on_a_bounded_pool(
    asgi_live_server,
):
    keys = [key for _, key in await signed_in(100)]
    before = await asyncio.to_thread(redis_clients)
    sockets = []
    for start in range(0, len(keys), 50):
        wave = keys[start : start + 50]
        sockets += await asyncio.gather(*(open_board(asgi_live_server, key) for key in wave))
    assert len(sockets) == 100
    assert await rows() == 100
    # The worker's Redis connections: its layer pool, plus one cache client per socket thread.
    bound = POOL + settings.LEADERBOARD_SOCKET_THREADS + 3
    assert await asyncio.to_thread(redis_clients) - before <= bound

    await asyncio.gather(*(ws.close() for ws in sockets))

    async def gone():
        return await rows() == 0

    await wait_until(gone, "presence rows of closed sockets")
    assert not await group_members(broadcast.group_name("all"))


def test_presence_sweep_command_removes_only_dead_workers_rows():
    live, dead = UserFactory(team=False), UserFactory(team=False)
    stale_after = settings.LEADERBOARD_PRESENCE_STALE_AFTER
    _presence("c-live", live, worker="other-host:1:aaaa", seen_ago=1)
    _presence("c-dead", dead, worker="other-host:2:bbbb", seen_ago=stale_after + 1)
    out = io.StringIO()

    call_command("presence_sweep", stdout=out)

    assert set(BoardPresence.objects.values_list("channel_name", flat=True)) == {"c-live"}
    assert "Removed 1 presence rows" in out.getvalue()

"""A worker's end of the live boards (``leaderboard.fanout``), through the real consumers.

One channel-layer message per broadcast per worker process, however many sockets it holds;
newest wins when updates come faster than a worker hands them out.
"""

import asyncio
import os
import threading
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from leaderboard import broadcast, consumers, fanout
from tests.leaderboard.test_consumers import award, connected_socket, make_user, place

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def board_members(scope: str = "all") -> set[str]:
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # in-memory layer
        return set(layer.groups.get(broadcast.group_name(scope), {}))
    group = broadcast.group_name(scope)
    conn = layer.connection(layer.consistent_hash(group))
    return {member.decode() for member in await conn.zrange(layer._group_key(group), 0, -1)}


async def test_the_board_group_holds_one_member_per_worker_however_many_sockets():
    users = [await make_user() for _ in range(12)]
    for i, user in enumerate(users):
        await award(user, i + 1, "seed")
    sent = []
    layer = get_channel_layer()
    group_send = layer.group_send

    async def counting(group, message):
        sent.append((group, message["type"]))
        return await group_send(group, message)

    layer.group_send = counting
    sockets = []
    try:
        for user in users:
            sockets.append((await connected_socket(user))[0])
        members = await board_members()
        assert len(members) == 1
        assert not members & set(fanout._local.get(os.getpid(), {}))  # no socket is a member

        earner = await make_user()
        await award(earner, 100, "big")
        frames = [await s.receive_json_from(timeout=5) for s in sockets]
        assert [place(f)["rank"] for f in frames] == list(range(13, 1, -1))
        assert {f["version"] for f in frames} == {frames[0]["version"]}
        # One ping and one broadcast through the layer for twelve sockets.
        board = broadcast.group_name("all")
        assert [kind for group, kind in sent if group == board] == [
            "leaderboard.dirty",
            "leaderboard.update",
        ]
    finally:
        layer.group_send = group_send
        for s in sockets:
            await s.disconnect()
    assert await board_members() == set()  # the worker left with its last socket


async def test_updates_arriving_during_a_delivery_collapse_into_the_newest(monkeypatch):
    """While a worker reads a batch, two more broadcasts arrive: the sockets get the frame being
    delivered, then the newest; the one in between is never read nor sent."""
    viewer = await make_user()
    await award(viewer, 10, "seed")
    communicator, snapshot = await connected_socket(viewer)
    first_batch_started, release = threading.Event(), threading.Event()
    batches = []
    tails = consumers._build_tails

    def slow_first_batch(scope, watchers):
        batches.append(scope)
        if len(batches) == 1:
            first_batch_started.set()
            release.wait(timeout=10)
        return tails(scope, watchers)

    monkeypatch.setattr(consumers, "_build_tails", slow_first_batch)
    build = database_sync_to_async(consumers._build_broadcast)
    layer = get_channel_layer()
    try:
        messages = []
        for _ in range(3):
            version, heads = await build("all")
            messages.append(
                {"type": "leaderboard.update", "scope": "all", "version": version, "heads": heads}
            )
        assert messages[0]["version"] > snapshot["version"]
        await layer.group_send(broadcast.group_name("all"), messages[0])
        await database_sync_to_async(first_batch_started.wait)(5)
        for message in messages[1:]:
            await layer.group_send(broadcast.group_name("all"), message)
        # Let the worker take both in while its first batch is still being read.
        newest = messages[2]["version"]
        worker = fanout.worker()
        for _ in range(100):
            if worker.latest.get("all", {}).get("version") == newest:
                break
            await asyncio.sleep(0.01)
        release.set()

        first = await communicator.receive_json_from(timeout=5)
        second = await communicator.receive_json_from(timeout=5)
        assert [first["version"], second["version"]] == [messages[0]["version"], newest]
        assert await communicator.receive_nothing(timeout=0.5)
        assert len(batches) == 2  # the first and the newest; never the middle one
    finally:
        release.set()
        await communicator.disconnect()


async def test_a_frame_older_than_what_a_socket_shows_is_not_sent():
    viewer = await make_user()
    communicator, _snapshot = await connected_socket(viewer)
    try:
        version, heads = await database_sync_to_async(consumers._build_broadcast)("all")
        await communicator.send_json_to({"type": "resync"})
        resync = await communicator.receive_json_from(timeout=3)
        assert resync["version"] == version
        message = {"type": "leaderboard.update", "scope": "all", "version": version}
        await get_channel_layer().group_send(
            broadcast.group_name("all"), message | {"heads": heads}
        )
        # The resync already showed this version: the broadcast adds no frame.
        assert await communicator.receive_nothing(timeout=0.5)
    finally:
        await communicator.disconnect()


def test_a_window_is_measured_from_its_first_commit_within_bounds(settings):
    settings.LEADERBOARD_BROADCAST_INTERVAL = 1.0
    now = time.time()
    assert fanout.window_wait(None) == 1.0
    # Folded and announced 0.3 s after its commit: the broadcast comes 0.7 s after the ping.
    assert fanout.window_wait(now - 0.3) == pytest.approx(0.7, abs=0.05)
    # A clock far ahead or behind on the awarding host: never faster than half the interval,
    # never slower than the interval.
    assert fanout.window_wait(now - 10) == 0.5
    assert fanout.window_wait(now + 10) == 1.0


def test_an_announcement_carries_when_its_window_began(monkeypatch):
    sent = []
    monkeypatch.setattr(broadcast, "_send_quietly", lambda group, message: sent.append(message))
    broadcast.clear_pending("window-test")
    broadcast.announce(["window-test"], since=1234.5)
    assert [m["since"] for m in sent] == [1234.5]
    broadcast.clear_pending("window-test")
    before = time.time()
    broadcast.announce(["window-test"])
    assert before <= sent[-1]["since"] <= time.time()
    broadcast.clear_pending("window-test")


def test_a_delivery_reads_its_sockets_in_a_bounded_number_of_batches_near_me_last(settings):
    settings.LEADERBOARD_SOCKET_THREADS = 4

    def watchers(n, near_every=2):
        return [
            fanout.payloads.Watcher(f"c{i}", "all", i, near=i % near_every == 0) for i in range(n)
        ]

    assert fanout.batches(watchers(fanout.MIN_BATCH * 2 - 1)) == [
        sorted(watchers(fanout.MIN_BATCH * 2 - 1), key=lambda w: w.near)
    ]
    many = fanout.batches(watchers(1000))
    assert [len(b) for b in many] == [250, 250, 250, 250]  # never more than the threads
    assert [w.channel_name for b in many for w in b] == [
        w.channel_name for w in sorted(watchers(1000), key=lambda w: w.near)
    ]  # every socket once, the cheaper plain ones first
    assert not any(w.near for w in many[0]) and all(w.near for w in many[-1])
    assert len(fanout.batches(watchers(130))) == 2


async def test_each_batch_of_a_delivery_goes_out_as_soon_as_it_is_read(monkeypatch):
    """Twelve sockets in three batches: the batches are read side by side, a batch's sockets get
    their frames while a slower batch is still being read, and every socket gets exactly one
    frame with its own rank."""
    monkeypatch.setattr(fanout, "MIN_BATCH", 4)
    users = [await make_user() for _ in range(12)]
    for i, user in enumerate(users):
        await award(user, i + 1, "seed")
    tails = consumers._build_tails
    read, slow_started, release = [], threading.Event(), threading.Event()

    def batches_read(scope, watchers):
        read.append(len(watchers))
        if any(w.near for w in watchers):  # the near-me batch, last: held until released
            slow_started.set()
            release.wait(timeout=10)
        return tails(scope, watchers)

    monkeypatch.setattr(consumers, "_build_tails", batches_read)
    sockets = []
    try:
        for i, user in enumerate(users):
            path = "/ws/leaderboard/all/?view=near" if i < 4 else "/ws/leaderboard/all/"
            sockets.append((await connected_socket(user, path))[0])
        read.clear()
        earner = await make_user()
        await award(earner, 100, "big")
        await database_sync_to_async(slow_started.wait)(10)
        # The plain sockets' frames arrive while the near-me batch is still being read.
        plain = [await s.receive_json_from(timeout=5) for s in sockets[4:]]
        assert [place(f)["rank"] for f in plain] == list(range(9, 1, -1))
        for s in sockets[:4]:
            assert await s.receive_nothing(timeout=0.1)
        release.set()
        near = [await s.receive_json_from(timeout=5) for s in sockets[:4]]
        assert [place(f)["rank"] for f in near] == [13, 12, 11, 10]
        assert all(f["near"] for f in near)
        assert {f["version"] for f in plain + near} == {plain[0]["version"]}
        assert sorted(read) == [4, 4, 4]  # three batches, one read each
        for s in sockets:
            assert await s.receive_nothing(timeout=0.2)  # one frame each
    finally:
        release.set()
        for s in sockets:
            await s.disconnect()

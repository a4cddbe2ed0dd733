"""A worker process's end of the live boards: one channel-layer message per worker, not socket.

Board sockets do not join a scope's channel-layer group; their worker does. Each worker (one
per event loop of a process) opens one channel of its own and joins ``broadcast.group_name(scope)``
while it holds sockets on that scope, so Redis carries one ping and one broadcast per *worker*
(1,000 sockets on two workers: two copies of a head, not 1,000):

- ``leaderboard.dirty``: the worker that claims the ping (``broadcast.claim_broadcast``) waits
  the interval, builds each audience's head once and sends them to the scope's workers.
- ``leaderboard.update``: each worker reads the tails of every socket it holds on the scope in
  a few batches read side by side on its socket threads (``batches``; ``payloads.viewer_tails``:
  a constant number of queries per batch however many sockets it has) and hands each socket its
  frame in memory as soon as its batch is read.
- **Newest wins.** A scope has at most one delivery running per worker. An update arriving
  meanwhile waits, and a newer one replaces it: a worker that falls behind skips straight to the
  newest complete frame instead of queueing every one (a delivery already handing out its frame
  finishes, so sockets always get frames).

The sockets a worker holds are kept here, in memory (``register``/``unregister``): a batch never
counts a socket of another worker or a ghost of a lost disconnect. A worker leaves a scope's
group when its last socket there goes; a worker that died stays a member until the layer's group
expiry, and broadcasts to it are dropped once its queue is full (the layer's capacity).
"""

import asyncio
import logging
import os
import time
import weakref
from collections.abc import Awaitable, Callable

from channels.layers import get_channel_layer
from django.conf import settings

from leaderboard import broadcast, payloads
from leaderboard.presence import socket_sync

logger = logging.getLogger(__name__)

# A frame for a socket: (version, text) -> sent (or held until the socket's snapshot is out).
Deliver = Callable[[int, str], Awaitable[None]]

# Seconds between re-joins of the groups a worker is in: the layer forgets members after its
# ``group_expiry`` (a day by default), and a Redis restarted empty forgets them at once.
REJOIN_EVERY = 60.0
# Seconds between log lines while the channel layer cannot be read.
LOG_EVERY = 60.0
# Sockets handed their frame between two yields to the event loop during a delivery.
YIELD_EVERY = 100
# The fewest sockets a delivery's batch reads at once (``batches``).
MIN_BATCH = 50

_local: dict[int, dict[str, tuple[payloads.Watcher, Deliver | None]]] = {}
_workers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Worker]" = (
    weakref.WeakKeyDictionary()
)


def register(watcher: payloads.Watcher, deliver: Deliver | None = None) -> None:
    _local.setdefault(os.getpid(), {})[watcher.channel_name] = (watcher, deliver)


def unregister(channel_name: str | None) -> None:
    if channel_name:
        _local.get(os.getpid(), {}).pop(channel_name, None)


def local_watchers(scope: str) -> list[payloads.Watcher]:
    """The sockets this worker holds on ``scope``."""
    return [w for w, _ in _local.get(os.getpid(), {}).values() if w.scope == scope]


def _deliverer(channel_name: str) -> Deliver | None:
    held = _local.get(os.getpid(), {}).get(channel_name)
    return held[1] if held else None


def _consumers():
    # Looked up through the module, so a test or benchmark can wrap its steps (imported here
    # because consumers imports this module).
    from leaderboard import consumers

    return consumers


def build_tails(scope: str, watchers: list[payloads.Watcher]) -> dict[str, str]:
    return _consumers()._build_tails(scope, watchers)


def build_broadcast(scope: str) -> tuple[int, dict[str, str]]:
    return _consumers()._build_broadcast(scope)


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning(
            "A live board task failed; its sockets wait for the next update.",
            exc_info=task.exception(),
        )


def window_wait(since: float | None) -> float:
    """Seconds to wait before broadcasting a window whose first change was committed at
    ``since`` (Unix time): the rest of the interval, so folding and announcing the change does
    not lengthen the window. Never less than half the interval (a clock ahead on the awarding
    host, or a change announced late, cannot make broadcasts come faster than that), never more
    than the interval (a clock behind)."""
    interval = settings.LEADERBOARD_BROADCAST_INTERVAL
    if since is None:
        return interval
    return min(interval, max(interval / 2, interval - (time.time() - since)))


class Worker:
    """This process's member of the scopes' worker groups, on one event loop."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.joined: set[str] = set()
        self.latest: dict[str, dict] = {}
        self.delivering: set[str] = set()
        self.lock = asyncio.Lock()
        self.tasks: set[asyncio.Task] = set()
        self.receivers: list[asyncio.Task] = []

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        task.add_done_callback(_log_failure)
        return task

    async def sync(self, scope: str, *, refresh: bool = False) -> None:
        """Join or leave ``scope``'s worker group to match the sockets held there now
        (``refresh``: join again even if joined, as on every connect).

        The worker receives only while it is in a group: channels-redis lets one event loop at a
        time receive on a layer, and a worker with no sockets has nothing to receive.
        """
        async with self.lock:
            wanted = bool(local_watchers(scope))
            # Joined again on every connect: Redis may have restarted empty.
            if wanted and (refresh or scope not in self.joined):
                if self.channel is None:
                    # The default prefix: channels-redis reads every channel of a process
                    # through one shared real channel ("specific.<prefix>!"), so a prefix of
                    # our own would never be read while a socket is receiving.
                    self.channel = await self.layer.new_channel()
                    self.receivers = [
                        self._spawn(self._receive_forever()),
                        self._spawn(self._rejoin_forever()),
                    ]
                await self.layer.group_add(broadcast.group_name(scope), self.channel)
                self.joined.add(scope)
            elif not wanted and scope in self.joined:
                self.joined.discard(scope)
                await self.layer.group_discard(broadcast.group_name(scope), self.channel)
                if not self.joined:
                    for task in self.receivers:
                        task.cancel()
                    self.channel, self.receivers = None, []

    async def _rejoin_forever(self) -> None:
        while True:
            await asyncio.sleep(REJOIN_EVERY)
            try:
                await self._rejoin()
            except Exception as error:  # tried again next time; connects re-join too
                logger.warning("Live board worker could not re-join its groups: %s", error)

    async def _rejoin(self) -> None:
        for scope in list(self.joined):
            await self.layer.group_add(broadcast.group_name(scope), self.channel)

    async def _receive_forever(self) -> None:
        failing, logged = False, float("-inf")
        while True:
            try:
                if failing:  # back from an outage: Redis may have lost the groups
                    await self._rejoin()
                    failing = False
                message = await self.layer.receive(self.channel)
            except Exception as error:  # the layer is down: sockets catch up on resync
                failing = True
                now = asyncio.get_running_loop().time()
                if now - logged >= LOG_EVERY:
                    logged = now
                    logger.warning(
                        "Live board worker cannot reach the channel layer (%s: %s); retrying "
                        "every second. (Logged once a minute.)",
                        error.__class__.__name__,
                        error,
                    )
                await asyncio.sleep(1.0)
                continue
            kind = message.get("type")
            if kind == "leaderboard.dirty":
                self._spawn(
                    self._broadcast_later(message["scope"], message["token"], message.get("since"))
                )
            elif kind == "leaderboard.update":
                self._update(message)

    async def _broadcast_later(self, scope: str, token: str, since: float | None = None) -> None:
        """A scope moved: the worker that claims the ping broadcasts one interval after the
        first change of the window was committed."""
        if not await socket_sync(broadcast.claim_broadcast)(token):
            return
        await asyncio.sleep(window_wait(since))
        version, heads = await socket_sync(build_broadcast)(scope)
        message = {"type": "leaderboard.update", "scope": scope, "version": version}
        await self.layer.group_send(broadcast.group_name(scope), message | {"heads": heads})

    def _update(self, message: dict) -> None:
        scope = message["scope"]
        waiting = self.latest.get(scope)
        if waiting is not None and waiting["version"] >= message["version"]:
            return
        self.latest[scope] = message
        if scope not in self.delivering:
            self.delivering.add(scope)
            self._spawn(self._deliver(scope))

    async def _deliver(self, scope: str) -> None:
        """Hand out the newest update of ``scope`` until no newer one is waiting."""
        delivered = 0
        try:
            while (message := self.latest[scope])["version"] > delivered:
                delivered = message["version"]
                watchers = local_watchers(scope)
                if not watchers:
                    continue
                # Handed out whole even if a newer update came in meanwhile: stopping here
                # would starve every socket while batches take longer than the interval.
                await asyncio.gather(
                    *(self._deliver_part(scope, message, part) for part in batches(watchers))
                )
        finally:
            # No await between the last look at ``latest`` and this: an update arriving after
            # it starts a delivery of its own.
            self.delivering.discard(scope)

    async def _deliver_part(self, scope: str, message: dict, watchers: list) -> None:
        """One batch of a delivery: its tails in one read (on a pool thread), then its frames.
        The batches of a delivery run side by side, so the first frames go out while the last
        batches are still being read."""
        try:
            tails = await socket_sync(build_tails)(scope, watchers)
        except Exception:  # logged; the next update or a resync catches up
            logger.warning("A live board batch failed for %s.", scope, exc_info=True)
            return
        version, heads = message["version"], message["heads"]
        for n, watcher in enumerate(watchers):
            deliver, tail = _deliverer(watcher.channel_name), tails.get(watcher.channel_name)
            if deliver is None or tail is None:
                continue  # gone, or connected after the batch (its snapshot is newer)
            try:
                await deliver(version, payloads.frame(heads[watcher.audience], tail))
            except Exception:  # that socket is closing; the others go on
                logger.debug("Frame not sent to %s.", watcher.channel_name, exc_info=True)
            if n % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)


def batches(watchers: list[payloads.Watcher]) -> list[list[payloads.Watcher]]:
    """A delivery's sockets in at most ``LEADERBOARD_SOCKET_THREADS`` batches of at least
    ``MIN_BATCH`` (so the queries per broadcast stay bounded whatever the number of sockets),
    "near me" sockets last: theirs are the dearer reads, and the cheaper batches go out first."""
    ordered = sorted(watchers, key=lambda w: w.near)
    count = max(1, min(settings.LEADERBOARD_SOCKET_THREADS, len(ordered) // MIN_BATCH))
    size = -(-len(ordered) // count)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def worker() -> Worker:
    """This event loop's worker (a new one if the channel layer changed, as in tests)."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    current = _workers.get(loop)
    if current is None or current.layer is not layer:
        current = _workers[loop] = Worker(layer)
    return current


async def watch(watcher: payloads.Watcher, deliver: Deliver) -> None:
    """Hold ``watcher``'s socket in this worker, which joins its scope's group if needed."""
    register(watcher, deliver)
    await worker().sync(watcher.scope, refresh=True)


async def unwatch(watcher: payloads.Watcher) -> None:
    """Let go of ``watcher``'s socket; the worker leaves the scope's group after its last.

    Never raises: with the layer down, a membership left behind only brings this worker
    broadcasts it ignores, until the layer's group expiry.
    """
    unregister(watcher.channel_name)
    try:
        await worker().sync(watcher.scope)
    except Exception as error:
        logger.warning("Live board worker could not leave %s: %s", watcher.scope, error)


def unwatch_soon(watcher: payloads.Watcher | None) -> None:
    """``unwatch`` from a consumer being torn down (cancelled: nothing may be awaited there)."""
    if watcher is None:
        return
    unregister(watcher.channel_name)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if not loop.is_closed():
        current = worker()
        current._spawn(current.sync(watcher.scope))

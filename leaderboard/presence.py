"""Who watches which board, across worker processes, and how the ghosts of lost sockets go.

A board socket writes a ``BoardPresence`` row and joins its user's channel-layer group (for
logout; boards are joined by its worker, ``leaderboard.fanout``) on connect, and removes both on
disconnect. A disconnect can be
lost: the worker dies or restarts, or daphne kills a consumer that took too long to finish. So:

- every row names its worker (``host:pid:token``, ``worker_id``) and carries ``seen_at``;
- each worker process keeps the set of sockets it really holds (``hold``/``release``) and, every
  ``LEADERBOARD_PRESENCE_HEARTBEAT`` seconds, refreshes ``seen_at`` on its rows and removes its
  own rows whose socket it no longer holds (a disconnect cut short);
- the sweep removes the rows of dead workers: not seen for ``LEADERBOARD_PRESENCE_STALE_AFTER``
  seconds, or naming a process of this host that no longer exists (a restarted worker). It runs
  when a worker takes its first socket (start-up), on every heartbeat, and from cron
  (``manage.py presence_sweep``);
- whatever is removed also leaves its user group, so logouts stop going to dead channels.

Broadcasts do not read these rows: each worker reads the rows of the sockets it holds in memory
(``leaderboard.fanout``), so a ghost is never counted as a watcher.

Database work of the socket path runs in a small pool of its own (``socket_sync``), not in
asgiref's one shared thread, so a connection storm does not queue every socket behind one thread.
"""

import asyncio
import contextvars
import functools
import logging
import os
import socket
import threading
import uuid
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from channels.db import DatabaseSyncToAsync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from leaderboard import broadcast
from leaderboard.aggregates import aggregates_fold
from leaderboard.models import BoardPresence

logger = logging.getLogger(__name__)

# (channel name, scope, user id) of a removed row: what its groups are.
Gone = tuple[str, str, int]

_worker: tuple[int, str] | None = None
_held: dict[int, set[str]] = {}
_executor: tuple[int, ThreadPoolExecutor] | None = None
_keepers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task]" = (
    weakref.WeakKeyDictionary()
)
_thread_contexts = threading.local()
CHUNK = 500


def worker_id() -> str:
    """This process's identity, ``host:pid:token`` (new after a fork: pids differ)."""
    global _worker
    pid = os.getpid()
    if _worker is None or _worker[0] != pid:
        _worker = (pid, f"{socket.gethostname()}:{pid}:{uuid.uuid4().hex[:8]}")
    return _worker[1]


def socket_sync(func):
    """``database_sync_to_async`` on the socket path's own pool (``LEADERBOARD_SOCKET_THREADS``).

    Each thread keeps its own database connection (closed or reused per ``CONN_MAX_AGE``, as
    ``database_sync_to_async`` does). The pool is per process: a forked server builds its own.
    """
    global _executor
    pid = os.getpid()
    if _executor is None or _executor[0] != pid:
        threads = max(1, settings.LEADERBOARD_SOCKET_THREADS)
        _executor = (pid, ThreadPoolExecutor(threads, thread_name_prefix="board-socket"))
    return DatabaseSyncToAsync(
        _in_thread_context(func), thread_sensitive=False, executor=_executor[1]
    )


def _in_thread_context(func):
    """Run ``func`` in one long-lived context per pool thread.

    Django keeps cache clients in context-local storage: called from each consumer's own context,
    every socket built its own Redis cache client and kept one Redis connection open for its
    lifetime (2,000 sockets, 2,000 connections). One context per thread shares one client.
    """

    @functools.wraps(func)
    def run(*args, **kwargs):
        context = getattr(_thread_contexts, "context", None)
        if context is None:
            context = _thread_contexts.context = contextvars.Context()
        return context.run(func, *args, **kwargs)

    return run


def hold(channel_name: str) -> None:
    """This process holds the socket of ``channel_name`` (before its row is written)."""
    _held.setdefault(os.getpid(), set()).add(channel_name)


def release(channel_name: str | None) -> None:
    """This process no longer holds that socket (first thing on disconnect, and on any exit)."""
    if channel_name:
        _held.get(os.getpid(), set()).discard(channel_name)


def held() -> set[str]:
    return set(_held.get(os.getpid(), ()))


def stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LEADERBOARD_PRESENCE_STALE_AFTER)


def presence_add(*, channel_name: str, scope: str, user_id: int, near: bool = False) -> None:
    """Record a socket of this worker watching ``scope``."""
    BoardPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "scope": scope,
            "user_id": user_id,
            "near": near,
            "worker": worker_id(),
            "seen_at": timezone.now(),
        },
    )


def presence_remove(*, channel_name: str) -> None:
    BoardPresence.objects.filter(channel_name=channel_name).delete()


def _delete(rows: list[tuple[int, str, str, int]]) -> list[Gone]:
    pks = [row[0] for row in rows]
    for start in range(0, len(pks), CHUNK):
        BoardPresence.objects.filter(pk__in=pks[start : start + CHUNK]).delete()
    return [row[1:] for row in rows]


def _process_gone(worker: str) -> bool:
    """Whether ``worker`` names a process of this host that has ended (or was replaced)."""
    if worker == worker_id():
        return False
    host, _, rest = worker.partition(":")
    pid, _, _ = rest.partition(":")
    if not worker:
        return True  # rows from before workers were named
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True  # an earlier process with this pid: restarted (a container's pid 1)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def presence_sweep() -> list[Gone]:
    """Delete the rows of dead workers (stale heartbeat, or a process gone from this host)."""
    workers = BoardPresence.objects.values_list("worker", flat=True).distinct()
    dead = [worker for worker in workers if _process_gone(worker)]
    rows = BoardPresence.objects.filter(Q(seen_at__lt=stale_before()) | Q(worker__in=dead))
    return _delete(list(rows.values_list("pk", "channel_name", "scope", "user_id")))


def presence_heartbeat(*, holding: set[str], since: datetime) -> list[Gone]:
    """Refresh this worker's rows; delete those whose socket it no longer holds.

    ``holding`` was read at ``since``: rows written after it are left alone (their socket
    connected meanwhile).
    """
    mine = BoardPresence.objects.filter(worker=worker_id())
    lost = [
        row
        for row in mine.filter(seen_at__lt=since).values_list(
            "pk", "channel_name", "scope", "user_id"
        )
        if row[1] not in holding
    ]
    gone = _delete(lost)
    mine.update(seen_at=timezone.now())
    return gone


async def leave_groups(gone: list[Gone]) -> None:
    """Take removed sockets out of their user groups (boards are their worker's groups)."""
    layer = get_channel_layer()
    if layer is None:
        return
    for channel_name, _scope, user_id in gone:
        group = broadcast.user_group(user_id)
        try:
            await layer.group_discard(group, channel_name)
        except Exception as error:  # the group expires by itself; keep sweeping
            logger.warning("Could not discard %s from %s: %s", channel_name, group, error)


async def keep_once() -> list[Gone]:
    """One heartbeat of this worker: sweep dead workers, refresh and reconcile its own rows."""
    since, holding = timezone.now(), held()
    gone = await socket_sync(presence_sweep)()
    gone += await socket_sync(presence_heartbeat)(holding=holding, since=since)
    # The safety net of the standings fold: deltas whose award's process died between its
    # commit and its fold are folded here (a no-op when another process is folding).
    await socket_sync(aggregates_fold)()
    await leave_groups(gone)
    if gone:
        logger.info("Removed %d board presence rows of lost sockets.", len(gone))
    return gone


async def _keep_forever(interval: float) -> None:
    while True:
        try:
            await keep_once()
        except Exception:
            logger.exception("The board presence heartbeat failed; retrying next beat.")
        await asyncio.sleep(interval)


def keep() -> None:
    """Start this worker's heartbeat on the running loop, once; its first pass is the start-up
    sweep. Off when ``LEADERBOARD_PRESENCE_HEARTBEAT`` is 0 (the test suite)."""
    interval = settings.LEADERBOARD_PRESENCE_HEARTBEAT
    if interval <= 0:
        return
    loop = asyncio.get_running_loop()
    task = _keepers.get(loop)
    if task is None or task.done():
        _keepers[loop] = loop.create_task(_keep_forever(interval))

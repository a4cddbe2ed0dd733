"""One worker's share of a live-board broadcast: its viewers' own rows, read once for all of them.

A broadcast ("leaderboard.update") carries the scope's head, encoded once by the broadcaster.
Every socket of the scope in this worker receives it; the first to handle a (scope, version)
starts one batch that reads the tails (own row, "near me" rows, own team) of *every* socket this
worker holds on the scope, in a constant number of queries (``payloads.viewer_tails``), and the
others await that same batch. Each socket then sends head + its tail, joined as text.

The sockets a worker holds are kept here, in memory (``register``/``unregister``): a batch never
counts a socket of another worker or a ghost of a lost disconnect.
"""

import asyncio
import logging
import os
import weakref

from leaderboard import payloads
from leaderboard.presence import socket_sync

logger = logging.getLogger(__name__)

# Batches of a scope kept after their version (a socket slow to handle an update still finds
# its batch instead of starting another).
KEEP_VERSIONS = 3

_local: dict[int, dict[str, payloads.Watcher]] = {}
_batches: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def register(watcher: payloads.Watcher) -> None:
    _local.setdefault(os.getpid(), {})[watcher.channel_name] = watcher


def unregister(channel_name: str | None) -> None:
    if channel_name:
        _local.get(os.getpid(), {}).pop(channel_name, None)


def local_watchers(scope: str) -> list[payloads.Watcher]:
    """The sockets this worker holds on ``scope``."""
    return [w for w in _local.get(os.getpid(), {}).values() if w.scope == scope]


def build_tails(scope: str, watchers: list[payloads.Watcher]) -> dict[str, str]:
    # Looked up through the module, so a test or benchmark can wrap it (imported here because
    # consumers imports this module).
    from leaderboard import consumers

    return consumers._build_tails(scope, watchers)


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning(
            "A live board batch failed; its sockets wait for the next update.",
            exc_info=task.exception(),
        )


def _batch(scope: str, version: int) -> asyncio.Future:
    loop = asyncio.get_running_loop()
    batches = _batches.setdefault(loop, {})
    task = batches.get((scope, version))
    if task is None:
        task = loop.create_task(socket_sync(build_tails)(scope, local_watchers(scope)))
        task.add_done_callback(_log_failure)
        batches[(scope, version)] = task
        for key in [k for k in batches if k[0] == scope and k[1] <= version - KEEP_VERSIONS]:
            del batches[key]
    return task


async def tail_for(watcher: payloads.Watcher, version: int) -> str:
    """``watcher``'s tail for the broadcast ``version`` of its scope (shared batch)."""
    # Shielded: a socket closing while it waits must not cancel the batch of the others.
    tails = await asyncio.shield(_batch(watcher.scope, version))
    tail = tails.get(watcher.channel_name)
    if tail is None:  # connected after the batch started: read its own
        tail = (await socket_sync(build_tails)(watcher.scope, [watcher]))[watcher.channel_name]
    return tail

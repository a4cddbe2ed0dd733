"""Live board updates, coalesced per scope across every process.

1. After an award commits, ``announce`` marks each moved scope *pending* with ``cache.add``
   (atomic in Redis and in one process's local memory). Only the award that creates the pending
   key pings the scope's workers ("leaderboard.dirty"); later awards in the window just ride along.
2. Every worker process holding sockets on the scope gets the ping (``leaderboard.fanout``); one
   of them wins a second ``cache.add`` and becomes the broadcaster: it waits the interval, clears
   the pending key, builds the payload once (a constant number of queries) and sends it to the
   workers ("leaderboard.update"), each of which hands its sockets their frames.
3. An award that commits after the pending key is cleared starts the next window, so nothing
   is missed and a burst becomes one update per interval.

Each broadcast takes the scope's next *version* (``next_version``, a counter in the cache that
starts at the current time in milliseconds, so it keeps growing after Redis loses it); a
snapshot carries the latest one (``current_version``). Clients drop frames older than what they
show.

With nobody watching, nobody clears the pending key: a socket that connects clears it (so the
next award pings again) and starts from a fresh snapshot that includes everything before.

Sends from request code (``announce``, ``logout_close``) never raise into the request and are
bounded in time: while the channel layer is unreachable they are dropped (logged, then skipped
for a few seconds), and boards catch up from the snapshot each reconnecting socket takes.
"""

import asyncio
import logging
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

PENDING = "leaderboard:pending:{scope}"
LEADER = "leaderboard:leader:{token}"
VERSION = "leaderboard:version:{scope}"


def group_name(scope: str) -> str:
    """The worker processes holding sockets on ``scope`` (``leaderboard.fanout``): pings and
    broadcasts, one message per worker; each hands its sockets their frames in memory."""
    return f"leaderboard.workers.{scope}"


def user_group(user_id: int) -> str:
    return f"leaderboard.user-{user_id}"


def pending_ttl() -> float:
    # Long enough for the broadcaster to clear it, short enough that a lost ping (a worker
    # restarting mid-window) only delays updates by a few seconds.
    return max(3.0, settings.LEADERBOARD_BROADCAST_INTERVAL * 3)


# Seconds one send from request code may take. A send that timed out (Redis frozen or cut off)
# pauses sends for SEND_PAUSE seconds so each request does not wait for it again; a refused
# connection fails at once and pauses nothing, so sends resume the moment Redis is back.
SEND_TIMEOUT = 1.0
SEND_PAUSE = 5.0
LOG_INTERVAL = 60.0
_sends_paused_until = 0.0
_last_logged = float("-inf")


def _send_quietly(group: str, message: dict) -> bool:
    """``group_send`` from sync request code; False (logged, never raised) if it failed."""
    global _sends_paused_until, _last_logged
    layer = get_channel_layer()
    if layer is None or time.monotonic() < _sends_paused_until:
        return False

    async def send():
        await asyncio.wait_for(layer.group_send(group, message), timeout=SEND_TIMEOUT)

    try:
        async_to_sync(send)()
    except Exception as error:  # a broken layer must not fail a request whose work is done
        now = time.monotonic()
        if isinstance(error, TimeoutError | RedisTimeoutError):
            _sends_paused_until = now + SEND_PAUSE
        if now - _last_logged < LOG_INTERVAL:
            return False
        _last_logged = now
        logger.warning(
            "Live updates not sent: the channel layer is unavailable (%s: %s); boards catch up "
            "from their next snapshot. (Logged once a minute.)",
            error.__class__.__name__,
            error,
        )
        return False
    return True


def announce(moved: list[str], *, since: float | None = None) -> None:
    """Ping the group of every moved scope, at most once per broadcast window.

    ``since``: when the first change announced was committed (Unix time; now if not given). The
    window is measured from it, so the time the change took to be folded and announced is not
    added to the interval (``fanout.window_wait``)."""
    keys = {scope: PENDING.format(scope=scope) for scope in moved}
    # One round trip skips the scopes already pending (in a busy window, all of them); only the
    # others race for their mark with ``cache.add``.
    pending = cache.get_many(list(keys.values())) if len(keys) > 1 else {}
    for scope, key in keys.items():
        if key in pending or not cache.add(key, "1", timeout=pending_ttl()):
            continue
        message = {
            "type": "leaderboard.dirty",
            "scope": scope,
            "token": uuid.uuid4().hex,
            "since": time.time() if since is None else since,
        }
        if not _send_quietly(group_name(scope), message):
            # Nobody heard the ping: let the next award try again.
            clear_pending(scope)


def claim_broadcast(token: str) -> bool:
    """Whether this consumer is the one that broadcasts for the ping ``token``."""
    return cache.add(LEADER.format(token=token), "1", timeout=60)


def next_version(scope: str) -> int:
    """The version of the next broadcast of ``scope``: larger than any before it."""
    key = VERSION.format(scope=scope)
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet, or Redis lost it (or is down): start from the clock
        start = int(time.time() * 1000)
        if cache.add(key, start, timeout=None):
            return start
        try:
            return cache.incr(key)
        except ValueError:
            return start


def current_version(scope: str) -> int:
    """The version of the latest broadcast of ``scope`` (0 before the first)."""
    return int(cache.get(VERSION.format(scope=scope)) or 0)


def clear_pending(scope: str) -> None:
    cache.delete(PENDING.format(scope=scope))


def logout_close(user_id: int) -> None:
    """Close every board socket of ``user_id`` (on logout)."""
    _send_quietly(user_group(user_id), {"type": "session.logout"})

"""Live board updates, coalesced per scope across every process.

1. After an award commits, ``announce`` marks each moved scope *pending* with ``cache.add``
   (atomic in Redis and in one process's local memory). Only the award that creates the pending
   key pings the scope's group ("leaderboard.dirty"); later awards in the window just ride along.
2. Every consumer watching the scope gets the ping; one of them wins a second ``cache.add`` and
   becomes the broadcaster: it waits the interval, clears the pending key, builds the payload
   once (a constant number of queries) and sends it to the group ("leaderboard.update").
3. An award that commits after the pending key is cleared starts the next window, so nothing
   is missed and a burst becomes one update per interval.

With nobody watching, nobody clears the pending key: a socket that connects clears it (so the
next award pings again) and starts from a fresh snapshot that includes everything before.
"""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache

PENDING = "leaderboard:pending:{scope}"
LEADER = "leaderboard:leader:{token}"


def group_name(scope: str) -> str:
    return f"leaderboard.{scope}"


def user_group(user_id: int) -> str:
    return f"leaderboard.user-{user_id}"


def pending_ttl() -> float:
    # Long enough for the broadcaster to clear it, short enough that a lost ping (a worker
    # restarting mid-window) only delays updates by a few seconds.
    return max(3.0, settings.LEADERBOARD_BROADCAST_INTERVAL * 3)


def announce(moved: list[str]) -> None:
    """Ping the group of every moved scope, at most once per broadcast window."""
    layer = get_channel_layer()
    if layer is None:
        return
    for scope in moved:
        if cache.add(PENDING.format(scope=scope), "1", timeout=pending_ttl()):
            async_to_sync(layer.group_send)(
                group_name(scope),
                {"type": "leaderboard.dirty", "scope": scope, "token": uuid.uuid4().hex},
            )


def claim_broadcast(token: str) -> bool:
    """Whether this consumer is the one that broadcasts for the ping ``token``."""
    return cache.add(LEADER.format(token=token), "1", timeout=60)


def clear_pending(scope: str) -> None:
    cache.delete(PENDING.format(scope=scope))


def logout_close(user_id: int) -> None:
    """Close every board socket of ``user_id`` (on logout)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "session.logout"})

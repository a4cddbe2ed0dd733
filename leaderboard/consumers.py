"""The live board websocket: ``/ws/leaderboard/<scope>/``."""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs, urlsplit

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from accounts.roles import is_ld
from leaderboard import broadcast, presence, scopes, selectors
from leaderboard.presence import socket_sync

logger = logging.getLogger(__name__)

# Close codes (4000-4999 are the application's own).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FOREIGN_ORIGIN = 4403
CLOSE_UNKNOWN_SCOPE = 4404
CLOSE_LOGGED_OUT = 4001
# The longest frame a client has reason to send ({"type": "resync"} and room to grow).
MAX_FRAME_CHARS = 1024


def _header(scope: dict, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def same_origin(scope: dict) -> bool:
    """A browser's socket must come from a page of this site (Origin host == Host).

    AllowedHostsOriginValidator already refuses origins outside ALLOWED_HOSTS; this also holds
    where ALLOWED_HOSTS is broad (``*``). Clients that send no Origin are not browsers, so a
    cross-site page cannot ride on the user's cookie through them.
    """
    origin = _header(scope, b"origin")
    if not origin:
        return True
    host = _header(scope, b"host")
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def _build_broadcast(scope: str) -> dict:
    # Cleared before reading, so an award committing from now on starts the next window.
    broadcast.clear_pending(scope)
    watching = presence.watchers(scope)
    payload = selectors.board_payload(scope=scope, user_ids=set(watching))
    return _with_near(payload, {uid for uid, near in watching.items() if near})


def _with_near(payload: dict, near_ids) -> dict:
    """Add the "near me" rows of ``near_ids`` (two more queries, however many they are)."""
    if near_ids and not payload.get("live"):
        ranks = {int(uid): rank for uid, (rank, _) in payload["ranks"].items()}
        wanted = {uid: rank for uid, rank in ranks.items() if uid in near_ids}
        payload["near"] = selectors.near_payload(scope=payload["scope"], ranks=wanted)
    return payload


class BoardConsumer(AsyncWebsocketConsumer):
    """Streams one board to one signed-in user; refuses anonymous and cross-site sockets.

    Server → client: ``{"type": "board", ...}`` snapshots (on connect, on each coalesced
    update, on a ``{"type": "resync"}`` request). Anything else the client sends is ignored.
    A socket opened with ``?view=near`` also gets the viewer's five rows above and below.
    Logging out closes the user's sockets (group ``leaderboard.user-<id>``).

    Presence and groups are left on every way out (``leaderboard.presence`` sweeps what a lost
    disconnect leaves). Database work runs in the socket path's own thread pool.
    """

    RESYNC_MIN_SECONDS = 1.0

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # However the consumer ends (even killed by daphne mid-connect), this worker no
            # longer holds the socket: its next heartbeat removes a row left behind.
            presence.release(getattr(self, "channel_name", None))

    async def dispatch(self, message):
        # As AsyncConsumer.dispatch, without its close_old_connections hop through asgiref's
        # single shared thread before every message (a broadcast to 2,000 sockets queued 2,000
        # hops there). socket_sync closes old connections around each call in its own threads.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.board = None
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not same_origin(self.scope):
            await self.close(code=CLOSE_FOREIGN_ORIGIN)
            return
        try:
            self.board = scopes.resolve(self.scope["url_route"]["kwargs"]["scope"])
        except scopes.UnknownScope:
            await self.close(code=CLOSE_UNKNOWN_SCOPE)
            return
        self.user = user
        self.viewer_is_ld = await socket_sync(is_ld)(user)
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.near = query.get("view") == ["near"]
        self.last_resync = 0.0
        self.tasks = set()
        # Held, then the row, then the groups: a connect cut short anywhere leaves a row the
        # heartbeat finds (not held) and removes together with its groups.
        presence.hold(self.channel_name)
        presence.keep()
        await socket_sync(presence.presence_add)(
            channel_name=self.channel_name, scope=self.board, user_id=user.pk, near=self.near
        )
        await self.channel_layer.group_add(broadcast.group_name(self.board), self.channel_name)
        await self.channel_layer.group_add(broadcast.user_group(user.pk), self.channel_name)
        # A pending mark left by a ping nobody heard would mute this board until it expires;
        # clearing it costs at most one extra broadcast, and the snapshot below covers the rest.
        await socket_sync(broadcast.clear_pending)(self.board)
        await self.accept()
        await self.send_snapshot()

    async def disconnect(self, code):
        if self.board is None or not hasattr(self, "user"):
            return
        presence.release(self.channel_name)
        # Each step is tried even if another fails; what fails is left to the heartbeat.
        gone = [(self.channel_name, self.board, self.user.pk)]
        try:
            await presence.leave_groups(gone)
            await socket_sync(presence.presence_remove)(channel_name=self.channel_name)
        except Exception:
            logger.exception("Board socket %s: presence left for the sweep.", self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        # Malformed or unknown messages are ignored: the socket stays open, others unaffected.
        # Clients only send {"type": "resync"}: longer frames are not parsed (a deeply nested
        # one would exhaust the parser's recursion and end this consumer).
        if not text_data or len(text_data) > MAX_FRAME_CHARS:
            return
        try:
            message = json.loads(text_data)
        except (TypeError, ValueError, RecursionError):
            return
        if not isinstance(message, dict) or message.get("type") != "resync":
            return
        now = time.monotonic()
        if now - self.last_resync < self.RESYNC_MIN_SECONDS:
            return
        self.last_resync = now
        await self.send_snapshot()

    async def send_snapshot(self):
        payload = await socket_sync(self._snapshot)()
        await self.send_view(payload)

    def _snapshot(self) -> dict:
        payload = selectors.board_payload(scope=self.board, user_ids=[self.user.pk])
        return _with_near(payload, {self.user.pk} if self.near else set())

    async def send_view(self, payload: dict):
        if self.viewer_is_ld and payload["frozen"] and not payload.get("live"):
            # The shared broadcast carries the frozen public board; L&D see live standings.
            payload = await socket_sync(selectors.board_payload)(
                scope=self.board, user_ids=[self.user.pk], live=True
            )
        view = selectors.payload_for_viewer(
            payload, viewer_id=self.user.pk, viewer_is_ld=self.viewer_is_ld
        )
        await self.send(text_data=json.dumps(view))

    async def leaderboard_dirty(self, event):
        """A scope moved: one consumer (whoever claims the ping) broadcasts after the interval."""
        if await socket_sync(broadcast.claim_broadcast)(event["token"]):
            task = asyncio.create_task(self._broadcast_later(event["scope"]))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _broadcast_later(self, scope: str):
        await asyncio.sleep(settings.LEADERBOARD_BROADCAST_INTERVAL)
        payload = await socket_sync(_build_broadcast)(scope)
        await self.channel_layer.group_send(
            broadcast.group_name(scope), {"type": "leaderboard.update", "payload": payload}
        )

    async def leaderboard_update(self, event):
        await self.send_view(event["payload"])

    async def session_logout(self, event):
        await self.close(code=CLOSE_LOGGED_OUT)

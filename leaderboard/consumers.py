"""The live board websocket: ``/ws/leaderboard/<scope>/``."""

import json
import logging
import time
from urllib.parse import parse_qs, urlsplit

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts.roles import is_ld
from leaderboard import broadcast, fanout, payloads, presence, scopes
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


def _build_broadcast(scope: str) -> tuple[int, dict[str, str]]:
    """The broadcaster's part of an update, once per broadcast: the version and each audience's
    encoded head (a constant number of queries, none per watcher)."""
    return payloads.heads(scope)


def _build_tails(scope: str, watchers: list[payloads.Watcher]) -> dict[str, str]:
    """One worker's part of an update, once per broadcast per worker: the tails of all its
    sockets on ``scope`` (a constant number of queries however many they are)."""
    return payloads.viewer_tails(scope, watchers)


def _viewer(user) -> tuple[bool, int | None]:
    return is_ld(user), payloads.viewer_team(user)


class BoardConsumer(AsyncWebsocketConsumer):
    """Streams one board to one signed-in user; refuses anonymous and cross-site sockets.

    Server → client: ``{"type": "board", ...}`` frames: a snapshot on connect and on a
    ``{"type": "resync"}`` request, then one per coalesced update (``leaderboard.payloads``:
    top N people and teams, shared by every viewer, plus the viewer's own row and team). Anything
    else the client sends is ignored. A socket opened with ``?view=near`` also gets the viewer's
    five rows above and below.
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
            fanout.unwatch_soon(getattr(self, "watcher", None))

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
        viewer_is_ld, team_id = await socket_sync(_viewer)(user)
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.watcher = payloads.Watcher(
            channel_name=self.channel_name,
            scope=self.board,
            user_id=user.pk,
            near=query.get("view") == ["near"],
            ld=viewer_is_ld,
            team_id=team_id,
        )
        self.last_resync = 0.0
        # Held, then the row, then the groups: a connect cut short anywhere leaves a row the
        # heartbeat finds (not held) and removes together with its groups.
        presence.hold(self.channel_name)
        presence.keep()
        await socket_sync(presence.presence_add)(
            channel_name=self.channel_name,
            scope=self.board,
            user_id=user.pk,
            near=self.watcher.near,
        )
        # Logging out closes the user's sockets (the user's group: one message per socket).
        await self.channel_layer.group_add(broadcast.user_group(user.pk), self.channel_name)
        # In this worker's batches from now on; frames held until the snapshot is out.
        self.live, self.sent_version, self.held = False, 0, None
        await fanout.watch(self.watcher, self.deliver)
        # A pending mark left by a ping nobody heard would mute this board until it expires;
        # clearing it costs at most one extra broadcast, and the snapshot below covers the rest.
        await socket_sync(broadcast.clear_pending)(self.board)
        await self.accept()
        await self.send_snapshot()
        self.live = True
        if self.held is not None:
            await self.deliver(*self.held)
            self.held = None

    async def disconnect(self, code):
        if self.board is None or not hasattr(self, "user"):
            return
        presence.release(self.channel_name)
        # Each step is tried even if another fails; what fails is left to the heartbeat.
        gone = [(self.channel_name, self.board, self.user.pk)]
        try:
            await fanout.unwatch(self.watcher)
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
        version, text = await socket_sync(payloads.snapshot)(self.watcher)
        self.sent_version = max(self.sent_version, version)
        await self.send(text_data=text)

    async def deliver(self, version: int, text: str) -> None:
        """A broadcast's frame for this socket, from its worker (``leaderboard.fanout``).

        Frames of a version this socket already shows are dropped; before the snapshot is out
        the newest is held and sent right after it, if newer.
        """
        if not self.live:
            if self.held is None or version > self.held[0]:
                self.held = (version, text)
            return
        if version <= self.sent_version:
            return
        self.sent_version = version
        await self.send(text_data=text)

    async def session_logout(self, event):
        await self.close(code=CLOSE_LOGGED_OUT)

"""Websocket URL patterns of every app, under ``ws/``, then a catch-all that closes cleanly."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import re_path

from leaderboard.routing import websocket_urlpatterns as leaderboard_patterns

# Like HTTP 404, in the 4000-4999 range that the websocket protocol leaves to applications.
CLOSE_NOT_FOUND = 4404


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Answers a socket opened on an unknown path: accepted, then closed with 4404.

    Without it the router raises (a logged traceback and an abrupt end for the client), and a
    client cannot tell a typo in the path from a server fault.
    """

    async def connect(self):
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)

    async def receive(self, text_data=None, bytes_data=None):
        return


websocket_urlpatterns = [
    *leaderboard_patterns,
    re_path(r"", NotFoundConsumer.as_asgi()),
]

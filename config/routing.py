"""Websocket URL patterns of every app, under ``ws/``."""

from leaderboard.routing import websocket_urlpatterns as leaderboard_patterns

websocket_urlpatterns = [*leaderboard_patterns]

"""Websocket routes of the leaderboard app."""

websocket_urlpatterns: list = []

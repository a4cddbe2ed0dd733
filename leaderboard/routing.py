"""Websocket routes of the leaderboard app."""

from django.urls import re_path

from leaderboard.consumers import BoardConsumer

websocket_urlpatterns = [
    re_path(r"^ws/leaderboard/(?P<scope>[A-Za-z0-9-]{1,100})/$", BoardConsumer.as_asgi()),
]

"""URLs of the leaderboard app."""

app_name = "leaderboard"

urlpatterns: list = []

"""Models of the leaderboard app (filled in by its issue)."""

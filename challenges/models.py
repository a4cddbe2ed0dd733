"""Models of the challenges app (filled in by its issue)."""

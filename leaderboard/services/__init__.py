"""Writes with rules for the leaderboard, by concern: ``ledger`` (the one writer of the points
ledger), ``weeks`` (a challenge week's board) and ``kudos``. Everything is importable from
``leaderboard.services`` as before; courses and challenges award points only through
:func:`points_award`."""

from config.errors import ApplicationError as LeaderboardError
from leaderboard.rebuild import scope_rebuild, standings_rebuild
from leaderboard.services.kudos import kudos_give, kudos_week_start
from leaderboard.services.ledger import (
    manual_award,
    points_award,
    points_revoke,
    users_lock,
)
from leaderboard.services.weeks import week_configure

__all__ = [
    "LeaderboardError",
    "kudos_give",
    "kudos_week_start",
    "manual_award",
    "points_award",
    "points_revoke",
    "scope_rebuild",
    "standings_rebuild",
    "users_lock",
    "week_configure",
]

"""Models of the leaderboard app: the ledger, standings, and recognition.

``leaderboard`` never imports ``courses`` or ``challenges``: an award carries a ``kind``, a
``source_key`` and an optional skill slug and challenge-week id.
"""

from leaderboard.models.ledger import PointsAward
from leaderboard.models.recognition import Badge, BadgeAward, BadgeCheck, Kudos, Level
from leaderboard.models.standings import (
    AggregateDelta,
    BoardPresence,
    ScopeSettings,
    ScoreBucket,
    Standing,
    TeamStanding,
)

__all__ = [
    "AggregateDelta",
    "Badge",
    "BadgeAward",
    "BadgeCheck",
    "BoardPresence",
    "Kudos",
    "Level",
    "PointsAward",
    "ScopeSettings",
    "ScoreBucket",
    "Standing",
    "TeamStanding",
]

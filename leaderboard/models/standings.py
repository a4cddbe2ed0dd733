"""Aggregate standings per scope, kept in step with the ledger by ``points_award``."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Standing(models.Model):
    """A user's points in one scope (``all``, ``month-2026-11``, ``week-3``, ``skill-<slug>``).

    Updated with ``F()`` increments in the same transaction as each award, so a top-N and a
    user's rank are a few indexed queries whatever the ledger's size. ``reached_at`` is when the
    current score was reached: the earlier one wins a tie.
    """

    scope = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standings"
    )
    points = models.IntegerField(default=0)
    reached_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "user"], name="leaderboard_standing_once"),
        ]
        indexes = [
            # The board order; a rank is a count of rows ahead along this index.
            models.Index(
                "scope",
                models.F("points").desc(),
                "reached_at",
                "user",
                name="leaderboard_standing_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.points} in {self.scope}"


class ScoreBucket(models.Model):
    """How many users of a scope hold each score: the scope's score histogram.

    Kept in the same transaction as ``Standing`` (a user moving from ``p`` to ``p'`` takes one
    from bucket ``p`` and adds one to ``p'``), so a rank is the sum of the few buckets above a
    score plus the ties reached earlier, instead of a count over every row ahead. Empty buckets
    are deleted; ``standings_rebuild`` recomputes the histogram from the standings.
    """

    scope = models.CharField(max_length=100)
    points = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index that a sum over the buckets above a score reads.
            models.UniqueConstraint(fields=["scope", "points"], name="leaderboard_bucket_once"),
            models.CheckConstraint(
                condition=models.Q(count__gte=0), name="leaderboard_bucket_count_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} with {self.points} in {self.scope}"


class TeamStanding(models.Model):
    """A team's points in one scope, and how many members have earned points for it there.

    ``members`` counts distinct users who earned points for the team in the scope, so the
    per-member average is fair to small teams.
    """

    scope = models.CharField(max_length=100)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="standings")
    points = models.IntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    reached_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "team"], name="leaderboard_teamstanding_once"),
        ]
        indexes = [
            models.Index(
                "scope", models.F("points").desc(), "reached_at", name="leaderboard_team_rank"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.points} in {self.scope}"

    @property
    def average(self) -> float:
        return round(self.points / self.members, 1) if self.members else 0.0


class AggregateDelta(models.Model):
    """A change to a shared aggregate row that an award made but that is not yet folded in.

    Score buckets and team standings are shared by many people: updating them inside each award
    made every award at the same score (or in the same team) wait for the others' commits, and
    two-award transactions deadlock. An award only *appends* its changes here (inserts never
    wait on each other); ``leaderboard.aggregates.aggregates_fold`` applies them in batches
    right after commit, one folder at a time. A ``BUCKET`` row moves ``count`` users in or out
    of score ``key``; a ``TEAM`` row adds ``points`` and ``members`` to team ``key``.
    """

    BUCKET = 1
    TEAM = 2

    id = models.BigAutoField(primary_key=True)
    kind = models.PositiveSmallIntegerField(choices=[(BUCKET, "score bucket"), (TEAM, "team")])
    scope = models.CharField(max_length=100)
    key = models.IntegerField()
    count = models.IntegerField(default=0)
    points = models.IntegerField(default=0)
    members = models.IntegerField(default=0)
    reached_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} in {self.scope}"


class ScopeSettings(models.Model):
    """Settings of one scope that another app owns, e.g. a challenge week (``week-3``).

    ``challenges`` sets them through ``leaderboard.services.week_configure`` without the
    leaderboard knowing what a challenge week is. Awards after ``frozen_at`` no longer move the
    scope's board.
    """

    TOTAL = "total"
    AVERAGE = "average"
    TEAM_RANKING_CHOICES = [(TOTAL, "Total points"), (AVERAGE, "Points per active member")]

    scope = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True)
    team_ranking = models.CharField(max_length=10, choices=TEAM_RANKING_CHOICES, default=TOTAL)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "scope settings"

    def __str__(self) -> str:
        return self.title or self.scope


class BoardPresence(models.Model):
    """An open board websocket: who watches which scope, so one broadcast carries their ranks.

    Rows are removed on disconnect. Each row names the worker process that holds the socket and
    carries that worker's last heartbeat (``seen_at``), so the rows of a worker that died or
    lost a disconnect are swept (``leaderboard.presence``) and never counted as watchers.
    """

    channel_name = models.CharField(max_length=200, unique=True)
    scope = models.CharField(max_length=100, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The socket shows the "near me" view, so broadcasts also carry this user's neighbours.
    near = models.BooleanField(default=False)
    connected_at = models.DateTimeField(auto_now_add=True)
    # "host:pid:token" of the worker process holding the socket.
    worker = models.CharField(max_length=200, default="", db_index=True)
    # Refreshed by the worker's heartbeat; a row not seen for a while belongs to a dead worker.
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} on {self.scope}"


__all__ = [
    "AggregateDelta",
    "BoardPresence",
    "ScopeSettings",
    "ScoreBucket",
    "Standing",
    "TeamStanding",
]

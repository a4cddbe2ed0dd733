"""The points ledger: append-only, one writer (``leaderboard.services.points_award``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class LedgerAppendOnlyError(Exception):
    """Raised by any attempt to change or delete a ledger row."""

    def __init__(self):
        super().__init__(
            "The points ledger is append-only: record a correction as a new award "
            "(leaderboard.services.points_revoke) instead of changing or deleting one."
        )


class PointsAwardQuerySet(models.QuerySet):
    """No bulk update or delete path exists for the ledger."""

    def update(self, **kwargs):
        raise LedgerAppendOnlyError

    def delete(self):
        raise LedgerAppendOnlyError


class PointsAward(models.Model):
    """One append-only entry of the points ledger. Corrections are new rows with negative amounts.

    ``source_key`` names what earned the points (``challenge:42:flags:user:7``); the unique
    constraint on (user, source_key) makes a repeated or concurrent award a no-op.
    """

    # Indexes: every award writes each one, so the ledger keeps only those a query uses (Meta).
    # The person's rows are found through (user, source_key) and (user, kind, created_at); kind
    # alone only for manual awards (a partial index no other award writes); no pattern-ops
    # copies of kind and skill (nobody filters them with LIKE).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="points_awards",
        db_index=False,
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_awards",
        help_text="The user's team at the time of the award.",
    )
    amount = models.IntegerField()
    kind = models.CharField(max_length=40)
    source_key = models.CharField(max_length=200)
    skill = models.SlugField(
        max_length=80, blank=True, db_index=False, help_text="Skill slug, if skill-tagged."
    )
    week_id = models.PositiveIntegerField(
        null=True, blank=True, db_index=True, help_text="Challenge week the points count in."
    )
    reason = models.TextField(blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # a partial index (Meta): nearly every award has no one here
        help_text="Who made a manual award or correction.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PointsAwardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_key"], name="leaderboard_award_once_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "kind", "created_at"]),
            # The manual awards' audit list; other kinds are found per person.
            models.Index(
                fields=["-created_at", "-id"],
                name="leaderboard_award_manual",
                condition=models.Q(kind="manual"),
            ),
            models.Index(fields=["skill"], name="leaderboard_award_skill"),
            models.Index(
                fields=["awarded_by"],
                name="leaderboard_award_by",
                condition=models.Q(awarded_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.kind} for {self.user_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerAppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerAppendOnlyError

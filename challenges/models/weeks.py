"""Challenge weeks: time-boxed team competitions on a set of challenges."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ChallengeWeek(models.Model):
    """A time-boxed competition: points earned on its challenges inside its window count on its
    board (``week-<id>`` in the leaderboard); outside the window they are practice points.

    A challenge belongs to at most one running week (checked by the form and enforced by
    ``challenges.services.week_save`` under a lock). After ``freeze_at`` the public board shows
    the standings as of the freeze; at ``ends_at`` the week is finalised once (``finalised_at``):
    the final board is revealed and placement badges are awarded.
    """

    TOTAL = "total"
    AVERAGE = "average"
    TEAM_RANKING_CHOICES = [(TOTAL, "Total points"), (AVERAGE, "Points per active member")]

    title = models.CharField(max_length=200)
    theme = models.TextField(blank=True, help_text="What the week is about (shown in the banner).")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    freeze_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: from then on the public board shows the standings as of this time "
        "(points still count) until the final board is revealed at the end.",
    )
    challenges = models.ManyToManyField(
        "challenges.ChallengePage", related_name="weeks", help_text="The challenges of the week."
    )
    teams = models.ManyToManyField(
        "accounts.Team",
        blank=True,
        related_name="challenge_weeks",
        help_text="Teams taking part; leave empty for everyone.",
    )
    team_ranking = models.CharField(
        max_length=10,
        choices=TEAM_RANKING_CHOICES,
        default=TOTAL,
        help_text="Per active member is fair to small teams.",
    )
    finalised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="challenges_week_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(freeze_at__isnull=True)
                | (Q(freeze_at__gte=F("starts_at")) & Q(freeze_at__lte=F("ends_at"))),
                name="challenges_week_freeze_inside_window",
            ),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True) | Q(finalised_at__gte=F("ends_at")),
                name="challenges_week_finalised_after_end",
            ),
        ]
        indexes = [models.Index(fields=["finalised_at", "ends_at"])]
        permissions = [("export_corpus", "Can export the feedback corpus")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self) -> str:
        """The leaderboard scope of the week's board."""
        return f"week-{self.pk}"

    def is_running(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at

    def is_frozen(self, at=None) -> bool:
        at = at or timezone.now()
        return self.freeze_at is not None and self.freeze_at <= at and self.finalised_at is None

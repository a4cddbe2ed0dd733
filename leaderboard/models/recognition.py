"""Recognition: levels, badges (authored by L&D), kudos between colleagues, notifications."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel

from leaderboard.kinds import AWARD_KINDS, kind_label

# The artwork shipped with the project: one SVG per demo badge (named by slug) and one per criteria
# family (named by criteria), so a badge L&D add later without an image still has artwork.
ARTWORK_DIR = Path(__file__).resolve().parent.parent / "static" / "leaderboard" / "badges"
SHIPPED_ARTWORK = frozenset(path.stem for path in ARTWORK_DIR.glob("*.svg"))


def _new_salt() -> str:
    return uuid.uuid4().hex


class Level(models.Model):
    """A level reached at an all-time XP threshold. L&D edit the ladder in the Wagtail admin."""

    name = models.CharField(max_length=60, unique=True)
    xp_threshold = models.PositiveIntegerField(
        unique=True, help_text="All-time points needed to reach this level."
    )

    panels = [FieldPanel("name"), FieldPanel("xp_threshold")]

    class Meta:
        ordering = ["xp_threshold"]

    def __str__(self) -> str:
        return f"{self.name} ({self.xp_threshold} XP)"


class Badge(models.Model):
    """A badge L&D author, with criteria evaluated from the ledger alone.

    The criteria type says what ``threshold``, ``kind`` and ``skill`` mean; ``clean`` refuses a
    combination that could never be earned.
    """

    POINTS_TOTAL = "points_total"
    KIND_COUNT = "kind_count"
    SKILL_POINTS = "skill_points"
    WEEK_PLACEMENT = "week_placement"
    STREAK = "streak"
    FIRST_BLIND_SPOT = "first_blind_spot"
    CRITERIA_CHOICES = [
        (POINTS_TOTAL, "All-time points reach the threshold"),
        (KIND_COUNT, "Number of awards of a kind reaches the threshold"),
        (SKILL_POINTS, "Points in a skill reach the threshold"),
        (WEEK_PLACEMENT, "Finish a challenge week in the top places (threshold: how many)"),
        (STREAK, "Active on consecutive days (threshold: how many)"),
        (FIRST_BLIND_SPOT, "First to find a blind spot on a challenge"),
    ]

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(help_text="What the badge recognises (shown to everyone).")
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    criteria = models.CharField(max_length=30, choices=CRITERIA_CHOICES)
    threshold = models.PositiveIntegerField(default=1)
    kind = models.CharField(
        max_length=40, blank=True, help_text="Award kind counted, e.g. review.given."
    )
    skill = models.SlugField(max_length=80, blank=True, help_text="Skill slug, for skill points.")
    is_active = models.BooleanField(default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("image"),
        HelpPanel(
            content="Threshold means points, a count, a placement or a number of days, "
            "depending on the criteria."
        ),
        FieldPanel("criteria"),
        FieldPanel("threshold"),
        FieldPanel("kind"),
        FieldPanel("skill"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def rule(self) -> str:
        """The criteria in words with their numbers filled in (for the admin list)."""
        n = self.threshold
        if self.criteria == self.POINTS_TOTAL:
            return f"{n} points in all"
        if self.criteria == self.KIND_COUNT:
            return f"{kind_label(self.kind)}: {n} times"
        if self.criteria == self.SKILL_POINTS:
            return f"{n} points in {self.skill.replace('-', ' ')}"
        if self.criteria == self.WEEK_PLACEMENT:
            return f"Top {n} of a challenge week"
        if self.criteria == self.STREAK:
            return f"Active {n} days in a row"
        return self.get_criteria_display()

    rule.short_description = "Earned for"

    @property
    def artwork_path(self) -> str:
        """The static path of the shipped SVG: the badge's own, else its criteria family's."""
        stem = self.slug if self.slug in SHIPPED_ARTWORK else self.criteria
        return f"leaderboard/badges/{stem}.svg"

    @property
    def artwork_label(self) -> str:
        """The artwork's accessible name."""
        return f"{self.name} badge"

    def clean(self):
        if self.criteria == self.KIND_COUNT and not self.kind:
            raise ValidationError({"kind": "Say which award kind this badge counts."})
        if self.criteria == self.KIND_COUNT and self.kind not in AWARD_KINDS:
            # A kind no service writes could never be earned (a typo, or a retired kind).
            raise ValidationError(
                {
                    "kind": f"No award of the kind “{self.kind}” is ever given. Choose one of: "
                    + ", ".join(sorted(AWARD_KINDS))
                    + "."
                }
            )
        if self.criteria == self.SKILL_POINTS and not self.skill:
            raise ValidationError({"skill": "Say which skill's points this badge counts."})
        if self.threshold < 1 and self.criteria != self.FIRST_BLIND_SPOT:
            raise ValidationError({"threshold": "The threshold must be at least 1."})


class BadgeAward(models.Model):
    """A badge earned by a user, once. Also an Open Badges 2.0 hosted assertion (``uid``)."""

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards"
    )
    awarded_at = models.DateTimeField(default=timezone.now)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Per-assertion salt for the hashed e-mail recipient (Open Badges 2.0).
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "user"], name="leaderboard_badge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.badge} for {self.user_id}"


class BadgeCheck(models.Model):
    """A person whose badges are due for evaluation: an award happened.

    Written in the award's transaction (so it exists exactly when the award does, whatever
    happens to Redis or the process afterwards) and claimed in batches by the standings fold
    (``leaderboard.aggregates``), which evaluates each claimed person once however many of
    their awards queued a check (``leaderboard.badges.badges_evaluate_many``).
    """

    id = models.BigAutoField(primary_key=True)
    # No foreign-key constraint and no index: a cheap per-award insert. The row lives for
    # milliseconds, and a person with awards cannot be deleted anyway (the ledger protects them).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"Badge check for {self.user_id}"


class Kudos(models.Model):
    """Thanks from one colleague to another, from the giver's weekly budget; earns points."""

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_given"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received"
    )
    message = models.CharField(max_length=280)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "kudos"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("recipient")), name="leaderboard_no_self_kudos"
            ),
        ]
        indexes = [models.Index(fields=["giver", "created_at"])]

    def __str__(self) -> str:
        return f"Kudos from {self.giver_id} to {self.recipient_id}"

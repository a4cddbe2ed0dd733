"""What employees produce in the Observe, Correct, Context and Reflect steps of the loop, peer
reviews of corrections, and drafts; the Test step and the evaluation suite are in ``evaluation``.

Every record carries ``user``, ``challenge``, ``created_at`` and, where a team can score, the
author's ``team`` at the time: challenge weeks count records by time window and team, and the
corpus export ships them with pseudonymous author ids. Invariants a race could break (one
submission per person and challenge, one review per reviewer, scores within the rubric) are
database constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from challenges.models.pages import STEPS

USER = settings.AUTH_USER_MODEL
CHALLENGE = "challenges.ChallengePage"
TEAM = "accounts.Team"


class StepRecord(models.Model):
    """What every record of a loop step carries besides its author: the challenge, the author's
    team when it was made (weeks count by team; the team may change later), and when."""

    challenge = models.ForeignKey(CHALLENGE, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        TEAM, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        abstract = True


class Criterion(models.TextChoices):
    """The four rubric criteria of a peer review (each scored 1..5); labels are shown to people."""

    ACCURACY = "accuracy", "Accuracy"
    TONE = "tone", "Tone"
    COMPLETENESS = "completeness", "Completeness"
    POLICY_FIT = "policy_fit", "Policy fit"


class FlagSubmission(StepRecord):
    """An employee's Observe step: their set of flags, scored once against the answer key."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="flag_submissions")
    recall = models.FloatField(default=0)
    precision = models.FloatField(default=0)
    score = models.FloatField(default=0, help_text="0..1: recall less the false-flag penalty.")
    points = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "challenge"], name="challenges_one_flag_submission"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="challenges_flag_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Flags of {self.user_id} on {self.challenge_id}"


class Flag(models.Model):
    """One highlighted passage of the AI output, tagged with a flaw category (a span annotation).

    ``start``/``end`` are character offsets into the output; ``quote`` keeps the text itself so
    the annotation stays meaningful if L&D later edits the output.
    """

    submission = models.ForeignKey(FlagSubmission, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="flags")
    challenge = models.ForeignKey(CHALLENGE, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    category = models.ForeignKey(
        "challenges.FlawCategory", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    matched_flaw = models.ForeignKey(
        "challenges.Flaw", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    credit = models.FloatField(
        default=0, help_text="1 right passage and category, 0.5 passage only."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="challenges_flag_nonempty_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} [{self.start}:{self.end}]"


class Correction(StepRecord):
    """An employee's rewrite of the AI output and why: the ``chosen`` side of a preference pair.

    ``review_count`` is kept in step with the reviews (an ``F()`` increment in the same
    transaction) so the review queue can serve the least-reviewed first from an index.
    """

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField()
    rationale = models.TextField()
    review_count = models.PositiveIntegerField(default=0)
    score = models.FloatField(
        null=True, blank=True, help_text="Mean rubric score (1..5) when scored."
    )
    points = models.PositiveIntegerField(null=True, blank=True)
    is_gold = models.BooleanField(default=False)
    gold_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gold_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "challenge"], name="challenges_one_correction"),
        ]
        indexes = [models.Index(fields=["review_count", "created_at"])]

    def __str__(self) -> str:
        return f"Correction by {self.user_id} on {self.challenge_id}"


class Review(StepRecord):
    """A peer's rubric scores for a correction (1..5 on four criteria)."""

    CRITERIA = Criterion.values

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reviews_given")
    accuracy = models.PositiveSmallIntegerField()
    tone = models.PositiveSmallIntegerField()
    completeness = models.PositiveSmallIntegerField()
    policy_fit = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    agrees = models.BooleanField(
        null=True,
        blank=True,
        help_text="Whether these scores agree with the consensus (once known).",
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "reviewer"], name="challenges_one_review_per_reviewer"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{c}__gte": 1}) & Q(**{f"{c}__lte": 5}),
                    name=f"challenges_review_{c}_1_5",
                )
                for c in Criterion.values
            ],
        ]

    def __str__(self) -> str:
        return f"Review by {self.reviewer_id} of {self.correction_id}"

    @property
    def scores(self) -> list[int]:
        return [getattr(self, c) for c in self.CRITERIA]

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.CRITERIA)


class ContextNote(StepRecord):
    """Context the AI lacked (a policy, cultural practice, unwritten rule or domain fact).

    Approved notes make up the Context Library.
    """

    KIND_CHOICES = [
        ("policy", "Policy"),
        ("culture", "Cultural practice"),
        ("unwritten", "Unwritten rule"),
        ("fact", "Domain fact"),
    ]
    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    STATUS_CHOICES = [
        (PENDING, "Waiting for L&D"),
        (APPROVED, "In the Context Library"),
        (REJECTED, "Not approved"),
    ]

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="context_notes")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=150)
    text = models.TextField()
    skills = models.ManyToManyField("courses.Skill", blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    endorsement_count = models.PositiveIntegerField(default=0)
    client_token = models.UUIDField(help_text="Makes a double-clicked submit one note.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_token"], name="challenges_context_once_per_token"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Endorsement(models.Model):
    """A colleague vouching for a context note (never the note's author)."""

    note = models.ForeignKey(ContextNote, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="challenges_endorse_once")
        ]

    def __str__(self) -> str:
        return f"Endorsement of {self.note_id} by {self.user_id}"


class Reflection(StepRecord):
    """What changed, what remains, a tip: private, or shared in the insights feed."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reflections")
    what_changed = models.TextField()
    what_remains = models.TextField()
    tip = models.TextField(blank=True)
    shared = models.BooleanField(default=False)
    upvote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "challenge"], name="challenges_one_reflection")
        ]
        indexes = [models.Index(fields=["shared", "created_at"])]

    def __str__(self) -> str:
        return f"Reflection of {self.user_id} on {self.challenge_id}"


class Upvote(models.Model):
    """A colleague's upvote of a shared reflection (never the author's own)."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="upvotes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reflection", "user"], name="challenges_upvote_once")
        ]

    def __str__(self) -> str:
        return f"Upvote of {self.reflection_id} by {self.user_id}"


class Draft(models.Model):
    """What an employee has typed into a step's form but not submitted, saved as they type."""

    STEP_CHOICES = [(s, s.title()) for s in STEPS]

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(CHALLENGE, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=10, choices=STEP_CHOICES)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "challenge", "step"], name="challenges_one_draft"
            )
        ]

    def __str__(self) -> str:
        return f"Draft {self.step} of {self.user_id} on {self.challenge_id}"

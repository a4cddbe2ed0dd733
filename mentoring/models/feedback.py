"""Field reports from daily work and what employees add to them (the loop on real answers).

There is no answer key for a field answer: its flags, correction, context and test case are
confirmed by the system's owners. Points come only then (see ``mentoring.services.triage``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

USER = settings.AUTH_USER_MODEL
SYSTEM = "mentoring.AISystem"

# DESIGN.md's flaw taxonomy (the slugs of challenges' FlawCategory seed), so field flags and
# challenge flags are comparable in the corpus without this app importing challenges.
FLAW_CATEGORIES = [
    ("hallucination", "Factual error / hallucination"),
    ("misclassification", "Misclassification"),
    ("tone-empathy", "Tone and empathy"),
    ("bias-fairness", "Bias and fairness"),
    ("privacy", "Privacy and sensitive data"),
    ("policy-compliance", "Policy and compliance"),
    ("missing-context", "Missing context"),
    ("unsafe-advice", "Unsafe or harmful advice"),
]


class FieldReport(models.Model):
    """A bad answer an employee met at work: which system, what was asked, what it answered."""

    NEW, CONFIRMED, DUPLICATE, REJECTED = "new", "confirmed", "duplicate", "rejected"
    STATUS_CHOICES = [
        (NEW, "New"),
        (CONFIRMED, "Confirmed by an owner"),
        (DUPLICATE, "Merged into an earlier report"),
        (REJECTED, "Not confirmed"),
    ]
    VIA_CHOICES = [("form", "Form"), ("api", "API"), ("snippet", "Report-this-answer snippet")]

    system = models.ForeignKey(SYSTEM, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="field_reports")
    asked = models.TextField(help_text="What the AI was asked.")
    answer = models.TextField(help_text="What the AI answered, exactly.")
    where = models.CharField(max_length=500, blank=True, help_text="A URL or ticket id.")
    via = models.CharField(max_length=10, choices=VIA_CHOICES, default="form")
    has_personal_data = models.BooleanField(
        default=False, help_text="Kept out of every export until an owner redacts it."
    )
    redacted_at = models.DateTimeField(null=True, blank=True)
    guidance_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The guidance version published when it was reported."
    )
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=NEW, db_index=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    decision_reason = models.TextField(blank=True, help_text="Shown to the reporter.")
    decided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="mentoring_duplicate_names_original",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.system_id}"

    @property
    def exportable(self) -> bool:
        return not self.has_personal_data or self.redacted_at is not None


class ReportFlag(models.Model):
    """A passage of the field answer tagged with a flaw category (a span annotation)."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="flags")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    category = models.CharField(max_length=40, choices=FLAW_CATEGORIES)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="mentoring_flag_span"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.quote[:40]}"


class ReportCorrection(models.Model):
    """The answer the AI should have given, and why: a gold pair once the report is confirmed."""

    report = models.OneToOneField(FieldReport, on_delete=models.CASCADE, related_name="correction")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    rationale = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Correction of report {self.report_id}"


class SystemContextNote(models.Model):
    """Context a system lacked (a policy, an unwritten rule); a guidance rule once approved.

    ``topic`` is a short slug; the sample stand-in's behaviours name the topic that fixes them.
    """

    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    STATUS_CHOICES = [
        (PENDING, "Waiting for an owner"),
        (APPROVED, "Approved for guidance"),
        (REJECTED, "Not approved"),
    ]

    system = models.ForeignKey(SYSTEM, on_delete=models.CASCADE, related_name="context_notes")
    report = models.ForeignKey(
        FieldReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    topic = models.SlugField(max_length=60)
    text = models.TextField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"[{self.topic}] {self.text[:40]}"


class EvalCase(models.Model):
    """One case of a system's evaluation suite: an input and what a good answer must / must not.

    Phrases in double quotes in ``must`` / ``must_not`` are checked automatically; a case with
    none is queued for peer judgement. ``source_key`` says where it came from (a field report,
    or a challenge's test case synced in by ``mentoring.sources``), once.
    """

    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    STATUS_CHOICES = [
        (PENDING, "Waiting for an owner"),
        (ACCEPTED, "In the eval suite"),
        (REJECTED, "Not accepted"),
    ]

    system = models.ForeignKey(SYSTEM, on_delete=models.CASCADE, related_name="eval_cases")
    report = models.ForeignKey(
        FieldReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    author = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_key = models.CharField(max_length=120, unique=True)
    input = models.TextField()
    must = models.TextField()
    must_not = models.TextField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.input[:60]

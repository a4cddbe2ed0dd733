"""Versioned guidance packs and the evaluation runs that prove what each one changed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

USER = settings.AUTH_USER_MODEL
SYSTEM = "mentoring.AISystem"


class GuidancePack(models.Model):
    """A published, immutable version of a system's guidance: rules plus few-shot pairs.

    Versions count up from 1 per system (a unique constraint, so two owners publishing at once
    cannot both get the same number). "No guidance" is the absence of a pack.
    """

    system = models.ForeignKey(SYSTEM, on_delete=models.CASCADE, related_name="packs")
    version = models.PositiveIntegerField()
    published_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True, help_text="What changed, in the owner's words.")
    diff = models.JSONField(default=dict, help_text="Added / removed source keys vs the last one.")

    class Meta:
        ordering = ["system", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["system", "version"], name="mentoring_pack_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="mentoring_pack_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.system_id} guidance v{self.version}"


class GuidanceItem(models.Model):
    """What a pack's rules and examples share: where each came from and who contributed it."""

    source_key = models.CharField(max_length=120)
    contributor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["pk"]


class GuidanceRule(GuidanceItem):
    """An approved context note, as a rule of the system-prompt addendum."""

    pack = models.ForeignKey(GuidancePack, on_delete=models.CASCADE, related_name="rules")
    topic = models.CharField(max_length=60)
    text = models.TextField()

    def __str__(self) -> str:
        return f"[{self.topic}] {self.text[:40]}"


class GuidanceExample(GuidanceItem):
    """A gold correction as a few-shot pair (prompt -> gold answer)."""

    pack = models.ForeignKey(GuidancePack, on_delete=models.CASCADE, related_name="examples")
    prompt = models.TextField()
    answer = models.TextField()
    rationale = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.prompt[:60]


class EvalRun(models.Model):
    """The eval suite run once against a model version with a guidance version (or none)."""

    system = models.ForeignKey(SYSTEM, on_delete=models.CASCADE, related_name="eval_runs")
    model_version = models.CharField(max_length=60)
    guidance_version = models.PositiveIntegerField(null=True, blank=True)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=100, blank=True)
    run_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=F("passed") + F("failed") + F("pending")),
                name="mentoring_run_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system_id} {self.model_version} x {self.guidance_label}"

    @property
    def guidance_label(self) -> str:
        return f"v{self.guidance_version}" if self.guidance_version else "none"


class EvalVerdict(models.Model):
    """One case's answer in a run and its verdict (automatic, or pending peer judgement)."""

    PASS, FAIL, PENDING = "pass", "fail", "pending"
    VERDICT_CHOICES = [(PASS, "Pass"), (FAIL, "Fail"), (PENDING, "Waiting for judgement")]

    run = models.ForeignKey(EvalRun, on_delete=models.CASCADE, related_name="verdicts")
    case = models.ForeignKey("mentoring.EvalCase", on_delete=models.CASCADE, related_name="+")
    response = models.TextField()
    verdict = models.CharField(max_length=10, choices=VERDICT_CHOICES)
    detail = models.TextField(blank=True, help_text="Which phrase decided it.")
    fixed_by = models.JSONField(
        default=list, help_text="Guidance source keys that changed this answer."
    )

    class Meta:
        ordering = ["case_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "case"], name="mentoring_one_verdict"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.verdict}"

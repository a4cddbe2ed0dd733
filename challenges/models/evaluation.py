"""The Test step and the evaluation suite it builds.

A test case is a tricky input an employee writes with what a good answer must and must not do;
the author and peers judge the AI's answer pass/fail, a failure peers confirm is a blind spot
(the first finder is recorded once), and a challenge's test cases are re-run as its evaluation
suite. Test cases are step records like the others (``records.StepRecord``).
"""

from django.db import models
from django.utils import timezone

from challenges.models.records import CHALLENGE, USER, StepRecord


class TestCase(StepRecord):
    """A tricky input with what a good answer must and must not do, and the AI's answer to it.

    Judged pass/fail by its author and peers; a failure confirmed by peers is a blind spot found.
    The challenge's test cases are its evaluation suite.
    """

    OPEN, BLIND_SPOT, PASSED = "open", "blind_spot", "passed"
    STATUS_CHOICES = [
        (OPEN, "Waiting for judgements"),
        (BLIND_SPOT, "Blind spot found"),
        (PASSED, "AI passed"),
    ]

    __test__ = False  # not a pytest class, despite the name

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="test_cases")
    input = models.TextField()
    must = models.TextField(help_text="What a good answer must do.")
    must_not = models.TextField(help_text="What a good answer must not do.")
    response = models.TextField()
    provider = models.CharField(max_length=40)
    model = models.CharField(max_length=100, blank=True)
    behaviour = models.ForeignKey(
        "challenges.Behaviour",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The scripted behaviour that answered (sample provider only).",
    )
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=OPEN, db_index=True)
    peer_judgement_count = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    client_token = models.UUIDField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_token"], name="challenges_test_once_per_token"
            ),
        ]

    def __str__(self) -> str:
        return self.input[:60]


class TestJudgement(models.Model):
    """A pass/fail verdict on a test case's response, by its author or a peer."""

    PASS, FAIL = "pass", "fail"
    VERDICT_CHOICES = [
        (PASS, "Pass: meets the expectation"),
        (FAIL, "Fail: misses the expectation"),
    ]

    __test__ = False

    test_case = models.ForeignKey(TestCase, on_delete=models.CASCADE, related_name="judgements")
    judge = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=4, choices=VERDICT_CHOICES)
    is_author = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["test_case", "judge"], name="challenges_judge_once")
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on {self.test_case_id} by {self.judge_id}"


class BlindSpotDiscovery(models.Model):
    """Who first found a blind spot: one row per (challenge, blind spot), first insert wins.

    ``key`` names the blind spot: ``behaviour:<pk>`` for a planted one, ``challenge`` when a
    live model answered (any confirmed failure is a discovery on that challenge).
    """

    challenge = models.ForeignKey(CHALLENGE, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    test_case = models.OneToOneField(TestCase, on_delete=models.CASCADE, related_name="discovery")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "key"], name="challenges_first_finder")
        ]

    def __str__(self) -> str:
        return f"{self.key} on {self.challenge_id}"


class EvalRun(models.Model):
    """One run of a challenge's evaluation suite against the configured provider."""

    challenge = models.ForeignKey(CHALLENGE, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=40)
    model = models.CharField(max_length=100, blank=True)
    run_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    unjudged = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.challenge_id}: {self.passed}/{self.total}"


class EvalResult(models.Model):
    """A test case's response in one evaluation run, with its verdict when one can be given."""

    run = models.ForeignKey(EvalRun, on_delete=models.CASCADE, related_name="results")
    test_case = models.ForeignKey(TestCase, on_delete=models.CASCADE, related_name="+")
    response = models.TextField()
    verdict = models.CharField(max_length=4, blank=True)
    changed = models.BooleanField(
        default=False, help_text="The response differs from the judged one."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "test_case"], name="challenges_eval_once")
        ]

    def __str__(self) -> str:
        return f"{self.test_case_id} in run {self.run_id}"

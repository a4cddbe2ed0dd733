"""What employees do in modules: progress, quiz attempts, reflections; and L&D's assignments.

Every invariant the database can hold is a constraint here, so a double submit or a second
worker cannot record a lesson twice or an assignment with no one to do it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class LessonProgress(models.Model):
    """A lesson a user has completed (one row per user and lesson)."""

    VIA = [("manual", "Marked complete"), ("quiz", "Passed the quiz")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress_records"
    )
    via = models.CharField(max_length=10, choices=VIA, default="manual")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_lesson_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} completed {self.lesson_id}"


class ModuleCompletion(models.Model):
    """A module a user has completed every lesson of; backs the certificate."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(
        "courses.SkillModulePage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="courses_module_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} completed module {self.module_id}"


class QuizAttempt(models.Model):
    """One graded submission of one quiz block. Every attempt is kept; the best one counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    block_id = models.CharField(max_length=64, help_text="The StreamField id of the quiz block.")
    answers = models.JSONField(help_text='Chosen option indexes per question: {"0": ["1"]}.')
    results = models.JSONField(help_text='Whether each question was right: {"0": true}.')
    correct_count = models.PositiveSmallIntegerField()
    question_count = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "lesson", "block_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(correct_count__lte=models.F("question_count"))
                & Q(question_count__gt=0)
                & Q(score_percent__lte=100),
                name="courses_quiz_attempt_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.correct_count}/{self.question_count} on {self.block_id}"


class ReflectionAnswer(models.Model):
    """A user's private answer to a reflection prompt. Only its author reads it; L&D sees counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflection_answers"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="reflection_answers"
    )
    block_id = models.CharField(max_length=64)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="courses_one_reflection_per_prompt"
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection by {self.user_id} on {self.lesson_id}"


class Assignment(models.Model):
    """An L&D Manager's request that a team, or one person, completes a module by a date."""

    module = models.ForeignKey(
        "courses.SkillModulePage", on_delete=models.CASCADE, related_name="assignments"
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="module_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="module_assignments",
    )
    due_date = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, user__isnull=True)
                | Q(team__isnull=True, user__isnull=False),
                name="courses_assignment_team_xor_user",
            ),
            models.UniqueConstraint(
                fields=["module", "team"],
                condition=Q(team__isnull=False),
                name="courses_assignment_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["module", "user"],
                condition=Q(user__isnull=False),
                name="courses_assignment_once_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_id} for {self.team or self.user} by {self.due_date}"

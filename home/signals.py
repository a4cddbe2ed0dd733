"""What home does when other apps record learning events: xAPI statements and notifications.

Connected in ``HomeConfig.ready`` by model label, so courses, challenges and leaderboard know
nothing of home (DESIGN.md's arrows point from home to them). Every handler only queues work:
xAPI statements go to the outbox (sent after commit), notifications are single rows.
"""

from django.urls import reverse

from home.xapi import xapi_enabled, xapi_record
from notifications.services import notification_send

STEP_NAMES = {
    "challenges.FlagSubmission": "observe",
    "challenges.Correction": "correct",
    "challenges.ContextNote": "context",
    "challenges.TestCase": "test",
    "challenges.Reflection": "reflect",
}


def page_url(page, anchor: str = "") -> str:
    """A page's address for an xAPI activity id; a page outside any site keeps an id path."""
    return f"{page.url or f'/pages/{page.pk}/'}{anchor}"


def module_completed(sender, instance, created, **kwargs) -> None:
    if created and xapi_enabled():
        module = instance.module
        xapi_record(
            user=instance.user,
            verb="completed",
            activity_url=page_url(module),
            activity_name=module.title,
            activity_type="module",
            result={"completion": True},
        )


def quiz_answered(sender, instance, created, **kwargs) -> None:
    if created and xapi_enabled():
        lesson = instance.lesson
        xapi_record(
            user=instance.user,
            verb="answered",
            activity_url=page_url(lesson, f"#quiz-{instance.block_id}"),
            activity_name=f"Quiz in “{lesson.title}”",
            activity_type="assessment",
            result={
                "success": instance.passed,
                "score": {
                    "scaled": round(instance.score_percent / 100, 4),
                    "raw": instance.correct_count,
                    "min": 0,
                    "max": instance.question_count,
                },
            },
        )


def challenge_step_submitted(sender, instance, created, **kwargs) -> None:
    if created and xapi_enabled():
        step = STEP_NAMES[sender._meta.label]
        challenge = instance.challenge
        xapi_record(
            user=instance.user,
            verb="responded",
            activity_url=page_url(challenge, f"#step-{step}"),
            activity_name=f"{challenge.title}: {step}",
            activity_type="challenge",
        )


def field_report_logged(sender, instance, created, **kwargs) -> None:
    """A field report on a company AI system: the loop run on real work."""
    if created and xapi_enabled():
        xapi_record(
            user=instance.reporter,
            verb="responded",
            activity_url=reverse("mentoring:report", args=[instance.pk]),
            activity_name=f"Field report on “{instance.system.name}”",
            activity_type="feedback",
        )


def badge_earned(sender, instance, created, **kwargs) -> None:
    if created and xapi_enabled():
        xapi_record(
            user=instance.user,
            verb="earned",
            # The badge's Open Badges class: the one address that names this badge.
            activity_url=reverse("leaderboard:ob_badge", args=[instance.badge.slug]),
            activity_name=instance.badge.name,
            activity_type="badge",
        )


def correction_reviewed(sender, instance, created, **kwargs) -> None:
    """Tell a correction's author that a colleague reviewed it."""
    if not created:
        return

    correction = instance.correction
    challenge = instance.challenge
    notification_send(
        user=correction.user,
        kind="correction.reviewed",
        message=f"A colleague reviewed your correction on “{challenge.title}”.",
        url=f"{challenge.url or '/challenges/'}#step-correct",
    )


HANDLERS = [
    ("courses.ModuleCompletion", module_completed),
    ("courses.QuizAttempt", quiz_answered),
    *((label, challenge_step_submitted) for label in STEP_NAMES),
    ("leaderboard.BadgeAward", badge_earned),
    ("mentoring.FieldReport", field_report_logged),
    ("challenges.Review", correction_reviewed),
]

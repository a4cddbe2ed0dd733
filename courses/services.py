"""Writes with rules: completing lessons and modules, grading quizzes, reflections, assignments.

Points go through ``leaderboard.services.points_award`` only, keyed by lesson or module, so a
lesson completed twice (a double click, a retried quiz, two tabs) earns its points once.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from config.errors import ApplicationError
from courses.models import (
    Assignment,
    LessonPage,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    ReflectionAnswer,
    SkillModulePage,
)
from leaderboard.services import points_award
from notifications.services import notification_send

REFLECTION_MAX_LENGTH = 5000
PAST_DUE_DATE = "The due date is in the past; choose today or a later date."


class QuizInputError(ApplicationError):
    """A quiz submission that cannot be graded. ``errors`` maps question index to a message
    (the one refinement of ApplicationError: a quiz shows an error on each question)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("Some answers are missing or unknown; see the questions marked below.")
        self.errors = errors


@dataclass
class LessonCompletion:
    """What completing a lesson did: whether it was new, and the points it earned."""

    progress: LessonProgress
    created: bool
    lesson_points: int = 0
    module_completed: bool = False
    module_points: int = 0


def lesson_complete(*, user: User, lesson: LessonPage, via: str = "manual") -> LessonCompletion:
    """Record that ``user`` completed ``lesson`` (once), award its points, and close the module.

    A manual completion is refused for a lesson with a quiz: passing the quiz completes it.
    """
    if via == "manual" and lesson.quiz_blocks():
        raise ApplicationError("Pass the quiz in this lesson to complete it.")
    module = lesson.get_parent().specific
    with transaction.atomic():
        try:
            with transaction.atomic():
                progress, created = LessonProgress.objects.get_or_create(
                    user=user, lesson=lesson, defaults={"via": via}
                )
        except IntegrityError:
            # A concurrent request recorded it first.
            progress, created = LessonProgress.objects.get(user=user, lesson=lesson), False
        result = LessonCompletion(progress=progress, created=created)
        if not created:
            return result
        award = points_award(
            user=user,
            amount=lesson.completion_points,
            kind="lesson.completed",
            source_key=f"lesson:{lesson.pk}:completed",
            skill=module.skill_slug,
            reason=f"Completed the lesson “{lesson.title}”.",
        )
        result.lesson_points = award.amount if award else 0
        completion = module_complete_if_done(user=user, module=module)
        if completion is not None:
            result.module_completed = True
            result.module_points = completion
    return result


def module_complete_if_done(*, user: User, module: SkillModulePage) -> int | None:
    """Mark ``module`` complete for ``user`` when every live lesson is done; return its points.

    Returns None when lessons remain or the module was already complete.
    """
    lesson_ids = list(LessonPage.objects.live().child_of(module).values_list("pk", flat=True))
    if not lesson_ids:
        return None
    done = LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids).count()
    if done < len(lesson_ids):
        return None
    try:
        with transaction.atomic():
            _, created = ModuleCompletion.objects.get_or_create(user=user, module=module)
    except IntegrityError:
        created = False
    if not created:
        return None
    award = points_award(
        user=user,
        amount=module.completion_points,
        kind="module.completed",
        source_key=f"module:{module.pk}:completed",
        skill=module.skill_slug,
        reason=f"Completed the module “{module.title}”.",
    )
    return award.amount if award else 0


def quiz_grade(*, quiz_value, answers: dict[str, list[str]]) -> tuple[dict, dict, int]:
    """Check ``answers`` against a quiz block's value; return (clean answers, results, correct).

    Raises QuizInputError naming each unanswered question or unknown option.
    """
    errors: dict[str, str] = {}
    clean: dict[str, list[str]] = {}
    results: dict[str, bool] = {}
    for index, question in enumerate(quiz_value["questions"]):
        key, number = str(index), index + 1
        chosen = [c.strip() for c in answers.get(key, []) if c.strip()]
        options = question["options"]
        valid = {str(i) for i in range(len(options))}
        if not chosen:
            errors[key] = f"Question {number} has no answer. Choose an option."
            continue
        unknown = [c for c in chosen if c not in valid]
        if unknown:
            errors[key] = (
                f"Question {number} has no option “{unknown[0][:20]}”. "
                "Choose one of the options shown."
            )
            continue
        if question["kind"] == "single" and len(set(chosen)) > 1:
            errors[key] = f"Question {number} takes one answer. Choose a single option."
            continue
        clean[key] = sorted(set(chosen), key=int)
        correct = {str(i) for i, option in enumerate(options) if option["correct"]}
        results[key] = set(clean[key]) == correct
    if errors:
        raise QuizInputError(errors=errors)
    return clean, results, sum(1 for ok in results.values() if ok)


@dataclass
class QuizOutcome:
    """A graded attempt and, if it completed the lesson, what that earned."""

    attempt: QuizAttempt
    completion: LessonCompletion | None = None


def quiz_submit(
    *, user: User, lesson: LessonPage, block_id: str, answers: dict[str, list[str]]
) -> QuizOutcome:
    """Grade and store an attempt. When every quiz of the lesson is passed, complete the lesson.

    Raises LookupError for a block id that is not a quiz of this lesson, and QuizInputError for
    missing or unknown answers (nothing is stored then).
    """
    block = next((b for b in lesson.quiz_blocks() if b.id == block_id), None)
    if block is None:
        raise LookupError(block_id)
    clean, results, correct = quiz_grade(quiz_value=block.value, answers=answers)
    total = len(block.value["questions"])
    percent = round(100 * correct / total)
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            user=user,
            lesson=lesson,
            block_id=block_id,
            answers=clean,
            results=results,
            correct_count=correct,
            question_count=total,
            score_percent=percent,
            passed=percent >= block.value["pass_mark"],
        )
        outcome = QuizOutcome(attempt=attempt)
        if attempt.passed:
            quiz_ids = {b.id for b in lesson.quiz_blocks()}
            passed_ids = set(
                QuizAttempt.objects.filter(
                    user=user, lesson=lesson, block_id__in=quiz_ids, passed=True
                ).values_list("block_id", flat=True)
            )
            if passed_ids >= quiz_ids:
                outcome.completion = lesson_complete(user=user, lesson=lesson, via="quiz")
    return outcome


def reflection_save(
    *, user: User, lesson: LessonPage, block_id: str, text: str
) -> ReflectionAnswer:
    """Save (or replace) the user's private answer to one reflection prompt of a lesson."""
    if block_id not in {b.id for b in lesson.reflection_blocks()}:
        raise LookupError(block_id)
    text = text.strip()
    if not text:
        raise ApplicationError("Write a few words before saving your reflection.")
    if len(text) > REFLECTION_MAX_LENGTH:
        raise ApplicationError(
            f"Your reflection is {len(text)} characters long; please keep it under "
            f"{REFLECTION_MAX_LENGTH}."
        )
    now = timezone.now()
    answer, _ = ReflectionAnswer.objects.update_or_create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        defaults={"text": text, "updated_at": now},
        create_defaults={"text": text, "created_at": now, "updated_at": now},
    )
    return answer


def assignment_create(
    *,
    module: SkillModulePage,
    due_date: datetime.date,
    assigned_by: User,
    team: Team | None = None,
    user: User | None = None,
) -> Assignment:
    """Assign ``module`` to a team or one person by ``due_date``; re-assigning moves the date."""
    if (team is None) == (user is None):
        raise ApplicationError("Choose either a team or a person to assign the module to.")
    if team is not None and not team.is_active:
        raise ApplicationError(f"The team “{team.name}” is inactive; choose an active team.")
    if user is not None and not user.is_active:
        raise ApplicationError(
            f"{user.public_name} has left; choose someone with an active account."
        )
    if not module.live:
        raise ApplicationError("Publish the module before assigning it.")
    if due_date < timezone.localdate():
        raise ApplicationError(PAST_DUE_DATE, field="due_date")
    target = {"team": team} if team is not None else {"user": user}
    with transaction.atomic():
        assignment, _ = Assignment.objects.update_or_create(
            module=module,
            **target,
            defaults={"due_date": due_date, "assigned_by": assigned_by},
        )
    return assignment


def assignment_update(*, assignment: Assignment, due_date: datetime.date, by: User) -> Assignment:
    """Move an assignment's due date (the module and who it is for stay: withdraw and re-assign
    to change those)."""
    if due_date < timezone.localdate():
        raise ApplicationError(PAST_DUE_DATE, field="due_date")
    Assignment.objects.filter(pk=assignment.pk).update(due_date=due_date, assigned_by=by)
    assignment.refresh_from_db()
    return assignment


def assignment_withdraw(*, assignment: Assignment, by: User) -> None:
    """Withdraw an assignment: it leaves everyone's "My learning"; completions and points stay."""
    Assignment.objects.filter(pk=assignment.pk).delete()


def assignment_remind_overdue(*, assignment: Assignment, by: User) -> int:
    """Remind everyone overdue on ``assignment`` with an in-app notification (e-mailed to those
    who opted in). At most one reminder per person per day, however many assignments or clicks:
    the notification's url names the day. Returns how many people were reminded."""
    from courses.selectors import overdue_people

    today = timezone.localdate()
    module = assignment.module
    sent = 0
    for person in overdue_people(assignment=assignment):
        if notification_send(
            user=person,
            kind="assignment.due",
            message=(
                f"A reminder from L&D: “{module.title}” was due on "
                f"{assignment.due_date:%d %b %Y}. Your assigned modules are in My learning."
            ),
            url=f"{reverse('courses:my_learning')}#reminder-{today.isoformat()}",
            once=True,
        ):
            sent += 1
    return sent

"""Challenge weeks: saving them (with the one-running-week-per-challenge rule), which week an
award counts in, and finalising ended weeks once.

Finalising (final board, placement badges) happens only in the ``weeks_close`` job: a task queued
for the moment a week ends, and ``manage.py weeks_close`` from cron as the safety net. Pages never
finalise; until the job has run they say the results are being finalised.
"""

import logging
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from challenges.models import ChallengePage, ChallengeWeek
from config.errors import ApplicationError
from leaderboard.services import week_configure

logger = logging.getLogger(__name__)

# The banner's cached list of running weeks (cleared when a week is saved).
BANNER_CACHE_KEY = "challenges:weeks-banner"
BANNER_SECONDS = 30


def week_window_errors(
    *, starts_at: datetime | None, ends_at: datetime | None, freeze_at: datetime | None
) -> dict[str, str]:
    """Field errors of a week's window (full sentences), empty when the window is sound."""
    errors = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The week must end after it starts: the end is before the start."
    elif freeze_at and starts_at and ends_at and not starts_at <= freeze_at <= ends_at:
        errors["freeze_at"] = (
            "The freeze time must fall inside the week, between its start and its end."
        )
    return errors


def overlap_errors(
    *,
    challenges,
    starts_at: datetime,
    ends_at: datetime,
    exclude_pk: int | None = None,
) -> list[str]:
    """One message per challenge already in another week whose window overlaps this one."""
    clashes = (
        ChallengeWeek.objects.filter(
            challenges__in=list(challenges), starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(pk=exclude_pk)
        .values_list("title", "challenges__title")
        .order_by("challenges__title", "title")
        .distinct()
    )
    return [
        f"“{challenge}” is already in the week “{week}”, which overlaps these dates: "
        "a challenge belongs to at most one running week."
        for week, challenge in clashes
    ]


def week_save(
    *,
    week: ChallengeWeek,
    challenges: list[ChallengePage],
    teams=None,
) -> ChallengeWeek:
    """Save ``week`` with its challenges and teams, and tell the leaderboard about its board.

    Refuses (ApplicationError, on the form field it concerns) an end before the start, a freeze
    outside the window, no challenge, a challenge already in an overlapping week, and changing
    the dates of a week whose results are final. The challenges' rows are locked, so two weeks
    saved at once cannot both take the same challenge.
    """
    errors = week_window_errors(
        starts_at=week.starts_at, ends_at=week.ends_at, freeze_at=week.freeze_at
    )
    if errors:
        [(field, message)] = errors.items()  # at most one problem with a window at a time
        raise ApplicationError(message, field=field)
    if not challenges:
        raise ApplicationError("Choose at least one challenge for the week.", field="challenges")
    with transaction.atomic():
        ids = sorted({c.pk for c in challenges})
        # Serialises saves of weeks sharing a challenge (PostgreSQL; SQLite locks the database).
        list(ChallengePage.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        if week.pk:
            before = ChallengeWeek.objects.select_for_update().get(pk=week.pk)
            week.finalised_at = before.finalised_at
            moved = (before.starts_at, before.ends_at, before.freeze_at) != (
                week.starts_at,
                week.ends_at,
                week.freeze_at,
            )
            if before.finalised_at and moved:
                raise ApplicationError(
                    "This week has ended and its results are final: its dates can no longer change."
                )
        clashes = overlap_errors(
            challenges=ids, starts_at=week.starts_at, ends_at=week.ends_at, exclude_pk=week.pk
        )
        if clashes:
            raise ApplicationError(clashes, field="challenges")
        week.save()
        week.challenges.set(ids)
        if teams is not None:
            week.teams.set(teams)
        _configure(week)
        transaction.on_commit(lambda: cache.delete(BANNER_CACHE_KEY))
        if week.finalised_at is None:
            ends_at = week.ends_at
            transaction.on_commit(lambda: weeks_close_schedule(at=ends_at))
    return week


def weeks_close_schedule(*, at: datetime) -> bool:
    """Queue the ``weeks_close`` task to run at ``at`` (a week's end); returns whether it was.

    A backend that can defer (the database backend) keeps it until then. One that cannot (the
    immediate backend of development and tests) runs it now only if ``at`` has passed; a week
    ending later is then left to cron's ``manage.py weeks_close``. A queue that is down must not
    fail the save, so that is logged and left to cron too.
    """
    from challenges.tasks import weeks_close_task

    try:
        if weeks_close_task.get_backend().supports_defer:
            weeks_close_task.using(run_after=at).enqueue()
        elif at <= timezone.now():
            weeks_close_task.enqueue()
        else:
            return False
    except Exception:
        logger.exception("Could not queue weeks_close for %s; cron will finalise the week.", at)
        return False
    return True


def _configure(week: ChallengeWeek) -> None:
    # Before the reveal the board freezes at freeze_at; once final it shows every week point.
    week_configure(
        week_id=week.pk,
        title=week.title,
        team_ranking=week.team_ranking,
        frozen_at=None if week.finalised_at else week.freeze_at,
        final=week.finalised_at is not None,
    )


def week_for(challenge: ChallengePage | int, at: datetime | None = None, *, user=None):
    """The week whose board points earned on ``challenge`` at ``at`` count on, or None.

    None outside every window (practice points) and, for a week limited to some teams, when
    ``user``'s current team is not one of them.
    """
    at = at or timezone.now()
    weeks = ChallengeWeek.objects.filter(
        challenges__pk=getattr(challenge, "pk", challenge), starts_at__lte=at, ends_at__gt=at
    ).order_by("starts_at", "pk")
    for week in weeks:
        team_ids = set(week.teams.values_list("pk", flat=True))
        if not team_ids:
            return week
        team = user.current_team if user is not None else None
        if team is not None and team.pk in team_ids:
            return week
    return None


def week_id_for(challenge_id: int, *, user, at: datetime | None = None) -> int | None:
    """``week_for`` as the id ``points_award(week_id=...)`` takes."""
    week = week_for(challenge_id, at, user=user)
    return week.pk if week else None


def week_finalise(*, week: ChallengeWeek, now: datetime | None = None) -> bool:
    """Finalise an ended week once: reveal its final board and award placement badges.

    The transition is a conditional UPDATE, so two workers (the task and cron) racing to
    finalise the same week finalise it once. Returns whether this call did it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        done = ChallengeWeek.objects.filter(
            pk=week.pk, finalised_at__isnull=True, ends_at__lte=now
        ).update(finalised_at=now)
        if not done:
            return False
        week.refresh_from_db()
        _configure(week)
    return True


def weeks_close(*, now: datetime | None = None) -> list[ChallengeWeek]:
    """Finalise every week that has ended and is not final yet (the task and cron's command)."""
    now = now or timezone.now()
    closed = []
    for week in ChallengeWeek.objects.filter(finalised_at__isnull=True, ends_at__lte=now):
        if week_finalise(week=week, now=now):
            closed.append(week)
    return closed

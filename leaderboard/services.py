"""Writes with rules for the leaderboard: the one writer of the points ledger, and recognition.

Courses and challenges award points only through :func:`points_award`. Standings are updated in
the same transaction as the award; announcements and badge checks run after commit.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import ApplicationError as LeaderboardError
from leaderboard.aggregates import aggregates_fold, fold_batch, standings_apply
from leaderboard.models import Kudos, PointsAward, ScopeSettings
from leaderboard.rebuild import scope_rebuild, standings_rebuild  # noqa: F401 (re-exported)
from leaderboard.selectors import SCOPES_CACHE_KEY
from notifications.services import notification_send

logger = logging.getLogger(__name__)


def _local_day_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def users_lock(user_ids) -> None:
    """Lock several people's user rows, in id order, for a transaction that awards them all.

    ``points_award`` locks each person's row as it awards them; a transaction awarding two
    people (a review pays the reviewer and the author, kudos lock the giver and pay the
    recipient) would otherwise take the two locks in its own order, and two such transactions
    crossing (each reviewing the other's work) would deadlock. Taking them all up front, in one
    global order, cannot.
    """
    ids = sorted({int(pk) for pk in user_ids if pk is not None})
    if ids:
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _capped_amount(*, user: User, kind: str, amount: int, at: datetime) -> int:
    """How much of ``amount`` the daily cap for ``kind`` still allows (corrections are uncapped).

    Counted from the ledger, under the lock on the user's row, so two requests (or two workers)
    cannot both squeeze under the cap.
    """
    cap = settings.LEADERBOARD_DAILY_CAPS.get(kind)
    if cap is None or amount <= 0:
        return amount
    start = _local_day_start(at)
    used = (
        PointsAward.objects.filter(
            user=user,
            kind=kind,
            amount__gt=0,
            created_at__gte=start,
            created_at__lt=start + timedelta(days=1),
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return max(0, min(amount, cap - used))


def _after_award(*, user_id: int, moved: list[str]) -> None:
    # The award is committed: a broken channel layer or badge rule must not turn the caller's
    # request into an error page, so failures are logged, not raised.
    from leaderboard import broadcast
    from leaderboard.badges import badges_evaluate

    try:
        aggregates_fold()
    except Exception:
        logger.exception("Could not fold the standings' pending deltas")
    try:
        broadcast.announce(moved)
    except Exception:
        logger.exception("Could not announce leaderboard scopes %s", moved)
    try:
        badges_evaluate(user=User.objects.get(pk=user_id))
    except Exception:
        logger.exception("Could not evaluate badges for user %s", user_id)


def points_award(
    *,
    user: User,
    amount: int,
    kind: str,
    source_key: str,
    skill: str = "",
    week_id: int | None = None,
    reason: str = "",
    awarded_by: User | None = None,
    content_owner: User | None = None,
    created_at: datetime | None = None,
) -> PointsAward | None:
    """Record ``amount`` points for ``user``, once per (user, source_key).

    Returns the new award, or the existing one when this source already awarded (a repeated or
    concurrent call is a no-op, never a second award and never an error). Returns None when no
    points are due: acting on one's own content (``content_owner`` is ``user``), a zero amount,
    or the daily cap for ``kind`` already reached (an award over the cap is cut down to it).
    Points are fixed here; a later change to what earned them does not rewrite history.
    ``created_at`` backdates an award (demo history only).
    """
    if not source_key:
        raise ValueError("An award needs a source_key naming what earned it.")
    if len(kind) > 40 or len(source_key) > 200:
        raise ValueError("The award kind (40) or source_key (200 characters) is too long.")
    if content_owner is not None and content_owner.pk == user.pk:
        return None
    if amount == 0:
        return None
    at = created_at or timezone.now()
    with transaction.atomic():
        # Lock the user's row: their awards are serialised, so the duplicate check, the daily
        # cap and their standing rows cannot race with a concurrent award for the same user.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        existing = PointsAward.objects.filter(user=user, source_key=source_key).first()
        if existing is not None:
            return existing
        capped = _capped_amount(user=user, kind=kind, amount=amount, at=at)
        if capped == 0:
            return None
        if capped != amount:
            reason = f"{reason} (cut from {amount} to the daily cap)".strip()
        try:
            # Under the row lock a duplicate cannot get this far on PostgreSQL, so no savepoint.
            with transaction.atomic(savepoint=connection.vendor != "postgresql"):
                award = PointsAward.objects.create(
                    user=user,
                    team=user.current_team,
                    amount=capped,
                    kind=kind,
                    source_key=source_key,
                    skill=skill,
                    week_id=week_id,
                    reason=reason,
                    awarded_by=awarded_by,
                    created_at=at,
                )
        except IntegrityError:
            # Only reachable without the row lock (SQLite): the unique constraint kept one row.
            return PointsAward.objects.get(user=user, source_key=source_key)
        moved = standings_apply(award)
        # Fold the shared aggregates now when no other award is folding (then the boards are
        # exact at commit); otherwise the folder, or this award's after-commit fold, does it.
        fold_batch()
        transaction.on_commit(partial(_after_award, user_id=user.pk, moved=moved))
    return award


def points_revoke(
    *, award: PointsAward, reason: str, revoked_by: User | None = None
) -> PointsAward | None:
    """Take back an award with a new negative row (the ledger is append-only). Once only."""
    if not reason.strip():
        raise LeaderboardError("Say why the points are taken back.")
    return points_award(
        user=award.user,
        amount=-award.amount,
        kind=award.kind,
        source_key=f"revoke:{award.pk}",
        skill=award.skill,
        week_id=award.week_id,
        reason=reason.strip(),
        awarded_by=revoked_by,
    )


def manual_award(
    *, user: User, amount: int, reason: str, awarded_by: User, key: str
) -> PointsAward:
    """A manual award or correction by an L&D manager, with a reason (shown in the audit list).

    ``key`` is a one-time token from the form, so a double-submitted form awards once.
    """
    from accounts.roles import is_ld_manager

    if not is_ld_manager(awarded_by):
        raise LeaderboardError("Only L&D managers can make manual awards.")
    if not reason.strip():
        raise LeaderboardError("Give a reason for the manual award; it is shown in the audit list.")
    if amount == 0:
        raise LeaderboardError("The amount must not be zero.")
    if abs(amount) > 10_000:
        raise LeaderboardError("A manual award is limited to 10,000 points either way.")
    award = points_award(
        user=user,
        amount=amount,
        kind="manual",
        source_key=f"manual:{key}",
        reason=reason.strip(),
        awarded_by=awarded_by,
    )
    assert award is not None  # manual awards have no cap and no owner  # noqa: S101
    return award


@transaction.atomic
def week_configure(
    *,
    week_id: int,
    title: str = "",
    team_ranking: str = ScopeSettings.TOTAL,
    frozen_at: datetime | None = None,
    final: bool = False,
) -> ScopeSettings:
    """The hook for ``challenges``: name a week's board, choose its team ranking, freeze it.

    Freezing (``frozen_at``, which may lie ahead) keeps the public board as it stood then while
    later awards still enter the ledger. Unfreezing or moving the freeze time rebuilds the
    week's rows. ``final`` says the week is over: its board is final and week-placement badges
    are awarded from it (once per person and badge, so repeating this is harmless).
    """
    if team_ranking not in {ScopeSettings.TOTAL, ScopeSettings.AVERAGE}:
        raise LeaderboardError("Team ranking must be “total” or “average”.")
    scope = f"week-{int(week_id)}"
    config, _ = ScopeSettings.objects.get_or_create(scope=scope)
    refreeze = config.frozen_at != frozen_at
    config.title = title
    config.team_ranking = team_ranking
    config.frozen_at = frozen_at
    config.save()
    # A new or renamed week shows in the boards' navigation at once.
    transaction.on_commit(partial(cache.delete, SCOPES_CACHE_KEY))
    if refreeze:
        scope_rebuild(scope, frozen_at=frozen_at)
        transaction.on_commit(partial(_announce_quietly, [scope]))
    if final:
        from leaderboard.badges import week_placement_badges_award

        transaction.on_commit(partial(week_placement_badges_award, scope=scope))
    return config


def _announce_quietly(moved: list[str]) -> None:
    from leaderboard import broadcast

    try:
        broadcast.announce(moved)
    except Exception:
        logger.exception("Could not announce leaderboard scopes %s", moved)


def kudos_give(*, giver: User, recipient: User, message: str) -> Kudos:
    """``giver`` thanks ``recipient`` with a short message, from a weekly budget; earns points.

    Refused (LeaderboardError) for oneself, an empty or over-long message, an inactive
    recipient, or when this week's budget is spent. The budget is counted from the database
    under a lock on the giver's row, so parallel requests cannot overspend it.
    """
    message = (message or "").strip()
    if recipient.pk == giver.pk:
        raise LeaderboardError("You cannot give kudos to yourself.")
    if not recipient.is_active:
        raise LeaderboardError("This colleague's account is no longer active.")
    if not message:
        raise LeaderboardError("Write a short message to say what the kudos are for.")
    if len(message) > 280:
        raise LeaderboardError("Keep the kudos message to 280 characters or fewer.")
    budget = settings.LEADERBOARD_KUDOS_WEEKLY_BUDGET
    with transaction.atomic():
        users_lock([giver.pk, recipient.pk])
        week_start = kudos_week_start()
        given = Kudos.objects.filter(giver=giver, created_at__gte=week_start).count()
        if given >= budget:
            raise LeaderboardError(
                f"You have given all {budget} kudos of your weekly budget. It renews on Monday."
            )
        kudos = Kudos.objects.create(giver=giver, recipient=recipient, message=message)
        points_award(
            user=recipient,
            amount=settings.LEADERBOARD_KUDOS_POINTS,
            kind="kudos.received",
            source_key=f"kudos:{kudos.pk}",
            content_owner=giver,
        )
        notification_send(
            user=recipient,
            kind="kudos",
            message=f"{giver.public_name} gave you kudos: {message[:200]}",
            url=reverse("leaderboard:person", args=[recipient.pk]),
        )
    return kudos


def kudos_week_start(moment: datetime | None = None) -> datetime:
    """Monday 00:00 (site time zone) of the week of ``moment``: when kudos budgets renew."""
    day = _local_day_start(moment or timezone.now())
    return day - timedelta(days=day.weekday())

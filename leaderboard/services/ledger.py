"""The one writer of the points ledger: awards (once per source, capped, standings moved in the
same transaction, announcements and badges after commit), revocations and manual awards."""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from config.errors import ApplicationError as LeaderboardError
from leaderboard.aggregates import aggregates_fold, fold_batch, standings_apply
from leaderboard.models import PointsAward

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

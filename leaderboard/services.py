"""The one writer of the points ledger.

Courses and challenges award points only through :func:`points_award`.
"""

from django.db import IntegrityError, transaction

from accounts.models import User
from leaderboard.models import PointsAward


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
) -> PointsAward | None:
    """Record ``amount`` points for ``user``, once per (user, source_key).

    Returns the new award, or the existing one when this source already awarded (a repeated or
    concurrent call is a no-op, never a second award and never an error). Returns None when no
    points are due: acting on one's own content (``content_owner`` is ``user``).
    """
    if content_owner is not None and content_owner.pk == user.pk:
        return None
    existing = PointsAward.objects.filter(user=user, source_key=source_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PointsAward.objects.create(
                user=user,
                team=user.current_team,
                amount=amount,
                kind=kind,
                source_key=source_key,
                skill=skill,
                week_id=week_id,
                reason=reason,
                awarded_by=awarded_by,
            )
    except IntegrityError:
        # A concurrent call won the race: the unique constraint kept one row.
        return PointsAward.objects.get(user=user, source_key=source_key)

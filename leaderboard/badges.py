"""Badge criteria, evaluated from the ledger and standings alone (never from other apps).

Called after each award commits, and when a challenge week is frozen (placement badges).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Sum, When
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from leaderboard import scopes
from leaderboard.kinds import FIRST_FINDER_KIND
from leaderboard.models import Badge, BadgeAward, PointsAward, Standing
from notifications.services import notification_send


def longest_streak(user: User) -> int:
    """The longest run of consecutive days (site time zone) with points earned, in a year."""
    since = timezone.now() - timedelta(days=366)
    days = sorted(
        {
            timezone.localtime(at).date()
            for at in PointsAward.objects.filter(
                user=user, amount__gt=0, created_at__gte=since
            ).values_list("created_at", flat=True)
        }
    )
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def _judge(user: User, badges: list[Badge]):
    """A test of "does ``user`` meet this badge's criteria now" for any of ``badges``.

    Reads what they need at once: the person's points per scope (one query), their net count
    per award kind (one query; a revocation is a negative row of the same kind and cancels one
    award) and, only when a streak badge is among them, their streak.
    """
    points = dict(Standing.objects.filter(user=user).values_list("scope", "points"))
    net = Case(When(amount__gt=0, then=1), When(amount__lt=0, then=-1), default=0)
    kinds = dict(
        PointsAward.objects.filter(user=user)
        .values("kind")
        .annotate(n=Sum(net))
        .values_list("kind", "n")
    )
    streak = longest_streak(user) if any(b.criteria == Badge.STREAK for b in badges) else 0
    rules = {
        Badge.POINTS_TOTAL: lambda b: points.get(scopes.ALL, 0) >= b.threshold,
        Badge.SKILL_POINTS: lambda b: points.get(f"skill-{b.skill}", 0) >= b.threshold,
        Badge.KIND_COUNT: lambda b: kinds.get(b.kind, 0) >= b.threshold,
        Badge.STREAK: lambda b: streak >= b.threshold,
        Badge.FIRST_BLIND_SPOT: lambda b: kinds.get(FIRST_FINDER_KIND, 0) >= 1,
    }
    # Week placement is judged from the final board when a week ends, never here.
    return lambda badge: badge.criteria in rules and rules[badge.criteria](badge)


def badge_criteria_met(badge: Badge, user: User) -> bool:
    """Whether ``user`` meets ``badge``'s criteria now (week placement is judged at freeze)."""
    return _judge(user, [badge])(badge)


def badge_grant(*, badge: Badge, user: User) -> BadgeAward | None:
    """Give ``badge`` to ``user`` once (a unique constraint), with a notification."""
    try:
        with transaction.atomic():
            award = BadgeAward.objects.create(badge=badge, user=user)
            notification_send(
                user=user,
                kind="badge",
                message=f"You earned the “{badge.name}” badge.",
                url=reverse("leaderboard:person", args=[user.pk]),
            )
    except IntegrityError:
        return None
    return award


def badges_evaluate(*, user: User) -> list[BadgeAward]:
    """Grant every active badge ``user`` now qualifies for and does not hold yet (runs after
    every award: a few queries however many badges there are)."""
    held = BadgeAward.objects.filter(user=user).values_list("badge_id", flat=True)
    candidates = list(
        Badge.objects.filter(is_active=True)
        .exclude(pk__in=held)
        .exclude(criteria=Badge.WEEK_PLACEMENT)
    )
    if not candidates:
        return []
    meets = _judge(user, candidates)
    granted = []
    for badge in candidates:
        if meets(badge):
            award = badge_grant(badge=badge, user=user)
            if award is not None:
                granted.append(award)
    return granted


def week_placement_badges_award(*, scope: str) -> list[BadgeAward]:
    """Grant placement badges from a frozen week's final board (positive scores only)."""
    badges = list(Badge.objects.filter(is_active=True, criteria=Badge.WEEK_PLACEMENT))
    if not badges:
        return []
    deepest = max(b.threshold for b in badges)
    top = list(
        Standing.objects.filter(scope=scope, points__gt=0)
        .select_related("user")
        .order_by("-points", "reached_at", "user_id")[:deepest]
    )
    granted = []
    for position, standing in enumerate(top, start=1):
        for badge in badges:
            if position <= badge.threshold:
                award = badge_grant(badge=badge, user=standing.user)
                if award is not None:
                    granted.append(award)
    return granted


def badge_catalogue(*, viewer: User) -> list[dict]:
    """Every active badge with its rule, how many people hold it and whether the viewer does
    (two queries whatever the number of badges)."""
    held = set(BadgeAward.objects.filter(user=viewer).values_list("badge_id", flat=True))
    badges = (
        Badge.objects.filter(is_active=True)
        .select_related("image")
        .annotate(holders=Count("awards"))
        .order_by("criteria", "threshold", "name")
    )
    return [{"badge": badge, "held": badge.pk in held} for badge in badges]

"""Badge criteria, evaluated from the ledger and standings alone (never from other apps).

Evaluated for the people whose awards the standings fold claimed checks for, in batches, after
commit (``leaderboard.aggregates``), and when a challenge week is frozen (placement badges).
"""

from collections import defaultdict
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
    return _streaks([user.pk]).get(user.pk, 0)


def _streaks(user_ids) -> dict[int, int]:
    """``longest_streak`` of several people in one query."""
    since = timezone.now() - timedelta(days=366)
    days: dict[int, set] = defaultdict(set)
    for user_id, at in PointsAward.objects.filter(
        user_id__in=user_ids, amount__gt=0, created_at__gte=since
    ).values_list("user_id", "created_at"):
        days[user_id].add(timezone.localtime(at).date())
    out = {}
    for user_id, dates in days.items():
        best = run = 0
        previous = None
        for day in sorted(dates):
            run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
            best = max(best, run)
            previous = day
        out[user_id] = best
    return out


def _judges(wanting: dict[int, list[Badge]]):
    """A test of "does person ``u`` meet this badge's criteria now" for the people of
    ``wanting`` and the badges each of them does not hold yet.

    Reads what the candidates need at once, for all the people together: points per scope
    (one query), net count per award kind (one query; a revocation is a negative row of the
    same kind and cancels one award) and, only when a streak badge is among them, streaks.
    """
    candidates = [badge for badges in wanting.values() for badge in badges]
    criteria = {badge.criteria for badge in candidates}
    ids = list(wanting)
    points: dict[tuple[int, str], int] = {}
    if criteria & {Badge.POINTS_TOTAL, Badge.SKILL_POINTS}:
        wanted = {scopes.ALL} | {
            f"skill-{b.skill}" for b in candidates if b.criteria == Badge.SKILL_POINTS
        }
        points = {
            (user_id, scope): value
            for user_id, scope, value in Standing.objects.filter(
                user_id__in=ids, scope__in=wanted
            ).values_list("user_id", "scope", "points")
        }
    kinds: dict[tuple[int, str], int] = {}
    if criteria & {Badge.KIND_COUNT, Badge.FIRST_BLIND_SPOT}:
        net = Case(When(amount__gt=0, then=1), When(amount__lt=0, then=-1), default=0)
        kinds = {
            (user_id, kind): n
            for user_id, kind, n in PointsAward.objects.filter(user_id__in=ids)
            .order_by()
            .values("user_id", "kind")
            .annotate(n=Sum(net))
            .values_list("user_id", "kind", "n")
        }
    streaks = _streaks(ids) if Badge.STREAK in criteria else {}
    rules = {
        Badge.POINTS_TOTAL: lambda u, b: points.get((u, scopes.ALL), 0) >= b.threshold,
        Badge.SKILL_POINTS: lambda u, b: points.get((u, f"skill-{b.skill}"), 0) >= b.threshold,
        Badge.KIND_COUNT: lambda u, b: kinds.get((u, b.kind), 0) >= b.threshold,
        Badge.STREAK: lambda u, b: streaks.get(u, 0) >= b.threshold,
        Badge.FIRST_BLIND_SPOT: lambda u, b: kinds.get((u, FIRST_FINDER_KIND), 0) >= 1,
    }
    # Week placement is judged from the final board when a week ends, never here.
    return lambda user_id, badge: badge.criteria in rules and rules[badge.criteria](user_id, badge)


def badge_criteria_met(badge: Badge, user: User) -> bool:
    """Whether ``user`` meets ``badge``'s criteria now (week placement is judged at freeze)."""
    return _judges({user.pk: [badge]})(user.pk, badge)


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


def badges_evaluate_many(user_ids, *, users: dict[int, User] | None = None) -> list[BadgeAward]:
    """Grant every active badge each of these people now qualifies for and does not hold yet.

    Runs after awards commit, for everyone whose awards the standings fold found since its last
    round (``leaderboard.aggregates``): a few queries per batch of people however many badges
    and people there are, plus the grants themselves.
    """
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return []
    badges = list(
        Badge.objects.filter(is_active=True).exclude(criteria=Badge.WEEK_PLACEMENT).order_by("pk")
    )
    if not badges:
        return []
    held = set(
        BadgeAward.objects.filter(user_id__in=ids, badge__in=badges).values_list(
            "user_id", "badge_id"
        )
    )
    wanting = {
        user_id: [badge for badge in badges if (user_id, badge.pk) not in held] for user_id in ids
    }
    wanting = {user_id: badges for user_id, badges in wanting.items() if badges}
    if not wanting:
        return []
    meets = _judges(wanting)
    due = [(user_id, badge) for user_id, badges in wanting.items() for badge in badges]
    due = [(user_id, badge) for user_id, badge in due if meets(user_id, badge)]
    if not due:
        return []
    users = dict(users or {})
    missing = {user_id for user_id, _ in due} - set(users)
    if missing:
        users.update(User.objects.in_bulk(missing))
    granted = []
    for user_id, badge in due:
        if user_id in users:
            award = badge_grant(badge=badge, user=users[user_id])
            if award is not None:
                granted.append(award)
    return granted


def badges_evaluate(*, user: User) -> list[BadgeAward]:
    """Grant every active badge ``user`` now qualifies for and does not hold yet (a few queries
    however many badges there are)."""
    return badges_evaluate_many([user.pk], users={user.pk: user})


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

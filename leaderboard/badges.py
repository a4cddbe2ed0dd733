"""Badge criteria, evaluated from the ledger and standings alone (never from other apps).

Evaluated for the people whose awards left a badge check, in batches, soon after commit
(:func:`badges_drain`), and when a challenge week is frozen (placement badges).
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, Sum, When
from django.db.models.functions import TruncDate
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from leaderboard import scopes
from leaderboard.aggregates import prepared_cursor
from leaderboard.kinds import FIRST_FINDER_KIND
from leaderboard.models import Badge, BadgeAward, BadgeCheck, PointsAward, Standing
from notifications.services import notification_send, notifications_send_many

# People whose badge checks one drain round claims (a few reads per batch, whatever its size).
CHECK_BATCH = 200

logger = logging.getLogger(__name__)


def longest_streak(user: User) -> int:
    """The longest run of consecutive days (site time zone) with points earned, in a year."""
    return _streaks([user.pk]).get(user.pk, 0)


def _streaks(user_ids) -> dict[int, int]:
    """``longest_streak`` of several people in one query (the distinct days, by the database)."""
    if not user_ids:
        return {}
    since = timezone.now() - timedelta(days=366)
    days: dict[int, list] = defaultdict(list)
    for user_id, day in (
        PointsAward.objects.filter(user_id__in=user_ids, amount__gt=0, created_at__gte=since)
        .annotate(day=TruncDate("created_at"))  # the current time zone's day, as localtime()
        .order_by()
        .values_list("user_id", "day")
        .distinct()
    ):
        days[user_id].append(day)
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

    Reads what the candidates need at once, for all the people together, and only for the
    people wanting a badge of that criteria: points per scope (one query), net count of the
    kinds wanted badges count (one query; a revocation is a negative row of the same kind and
    cancels one award) and, only when a streak badge is among them, streaks.
    """
    # Who wants a badge of each criteria: each read is for them (and what they want) only.
    needs: dict[str, set[int]] = defaultdict(set)
    for user_id, badges in wanting.items():
        for badge in badges:
            needs[badge.criteria].add(user_id)
    candidates = [badge for badges in wanting.values() for badge in badges]
    points: dict[tuple[int, str], int] = {}
    if ids := needs[Badge.POINTS_TOTAL] | needs[Badge.SKILL_POINTS]:
        wanted = {scopes.ALL} | {
            f"skill-{b.skill}" for b in candidates if b.criteria == Badge.SKILL_POINTS
        }
        points = {
            (user_id, scope): value
            for user_id, scope, value in Standing.objects.filter(
                user_id__in=sorted(ids), scope__in=wanted
            ).values_list("user_id", "scope", "points")
        }
    kinds: dict[tuple[int, str], int] = {}
    if ids := needs[Badge.KIND_COUNT] | needs[Badge.FIRST_BLIND_SPOT]:
        counted = {b.kind for b in candidates if b.criteria == Badge.KIND_COUNT}
        if needs[Badge.FIRST_BLIND_SPOT]:
            counted.add(FIRST_FINDER_KIND)
        net = Case(When(amount__gt=0, then=1), When(amount__lt=0, then=-1), default=0)
        kinds = {
            (user_id, kind): n
            for user_id, kind, n in PointsAward.objects.filter(
                user_id__in=sorted(ids), kind__in=sorted(counted)
            )
            .order_by()
            .values("user_id", "kind")
            .annotate(n=Sum(net))
            .values_list("user_id", "kind", "n")
        }
    streaks = _streaks(sorted(needs[Badge.STREAK]))
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


def _notice(badge: Badge, user: User) -> tuple[User, str, str, str]:
    """The notification of ``user`` earning ``badge``: (user, kind, message, url)."""
    return (
        user,
        "badge",
        f"You earned the “{badge.name}” badge.",
        reverse("leaderboard:person", args=[user.pk]),
    )


def _notify(badge: Badge, user: User) -> None:
    user, kind, message, url = _notice(badge, user)
    notification_send(user=user, kind=kind, message=message, url=url)


def badge_grant(*, badge: Badge, user: User) -> BadgeAward | None:
    """Give ``badge`` to ``user`` once (a unique constraint), with a notification."""
    try:
        with transaction.atomic():
            award = BadgeAward.objects.create(badge=badge, user=user)
            _notify(badge, user)
    except IntegrityError:
        return None
    return award


def _grant_many(due: list[tuple[int, Badge]], users: dict[int, User]) -> list[BadgeAward]:
    """``badge_grant`` for many (person, badge) pairs. On PostgreSQL one INSERT for them all
    (``post_save`` sent for each new row, as ``save()`` would): a pair granted already is
    skipped by the unique constraint, a concurrent grant of the same pair waited for, then
    skipped. Pairs come in (person, badge) order, so two drainers granting to the same people
    take their locks in one order."""
    if connection.vendor != "postgresql":
        granted = [badge_grant(badge=badge, user=users[user_id]) for user_id, badge in due]
        return [award for award in granted if award is not None]
    rows = [BadgeAward(badge=badge, user=users[user_id]) for user_id, badge in due]
    table = connection.ops.quote_name(BadgeAward._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (badge_id, user_id, awarded_at, uid, salt) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
                + " ON CONFLICT (badge_id, user_id) DO NOTHING RETURNING id, badge_id, user_id",
                [
                    value
                    for row in rows
                    for value in (row.badge_id, row.user_id, row.awarded_at, row.uid, row.salt)
                ],
            )
            new = {(badge_id, user_id): pk for pk, badge_id, user_id in cursor.fetchall()}
        granted = []
        for row in rows:
            row.pk = new.get((row.badge_id, row.user_id))
            if row.pk is None:
                continue
            row._state.adding, row._state.db = False, connection.alias
            # What save() would have sent (other apps listen: the xAPI statement).
            post_save.send(
                sender=BadgeAward, instance=row, created=True, raw=False, using=connection.alias
            )
            granted.append(row)
        # Their notifications in one go (badge_grant's one by one: a statement, two cache
        # writes and an e-mail task each).
        notifications_send_many(_notice(row.badge, row.user) for row in granted)
    return granted


def badges_due(user_ids) -> list[tuple[int, Badge]]:
    """The (person, badge) pairs of these people that meet an active badge's criteria now and
    are not held yet, in (person, badge) order (week placement is judged at freeze): a few
    queries however many badges and people."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return []
    badges = list(
        Badge.objects.filter(is_active=True).exclude(criteria=Badge.WEEK_PLACEMENT).order_by("pk")
    )
    if not badges:
        return []
    # Everything these people hold (a few rows each), along their index whatever the
    # statistics say about the badges.
    held = set(BadgeAward.objects.filter(user_id__in=ids).values_list("user_id", "badge_id"))
    wanting = {
        user_id: [badge for badge in badges if (user_id, badge.pk) not in held] for user_id in ids
    }
    wanting = {user_id: badges for user_id, badges in wanting.items() if badges}
    if not wanting:
        return []
    meets = _judges(wanting)
    return [
        (user_id, badge)
        for user_id, badges in wanting.items()
        for badge in badges
        if meets(user_id, badge)
    ]


def badges_evaluate_many(user_ids, *, users: dict[int, User] | None = None) -> list[BadgeAward]:
    """Grant every active badge each of these people now qualifies for and does not hold yet.

    Runs soon after awards commit, for everyone whose awards left a badge check since the last
    drain (:func:`badges_drain`): a few queries per batch of people however many badges and
    people there are, plus the grants themselves.
    """
    due = badges_due(user_ids)
    if not due:
        return []
    users = dict(users or {})
    missing = {user_id for user_id, _ in due} - set(users)
    if missing:
        users.update(User.objects.in_bulk(missing))
    return _grant_many([(user_id, badge) for user_id, badge in due if user_id in users], users)


def badges_evaluate(*, user: User) -> list[BadgeAward]:
    """Grant every active badge ``user`` now qualifies for and does not hold yet (a few queries
    however many badges there are)."""
    return badges_evaluate_many([user.pk], users={user.pk: user})


def _checks_claim() -> tuple[int, list[int]]:
    """Delete a batch of pending badge checks in the current transaction: how many rows, and
    the people they name. On PostgreSQL rows another drainer has claimed are skipped, not
    waited for (they are gone when it commits, back if it dies)."""
    table = connection.ops.quote_name(BadgeCheck._meta.db_table)
    if connection.vendor == "postgresql":
        with prepared_cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id = ANY(ARRAY("  # noqa: S608
                f"SELECT id FROM {table} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)) "
                "RETURNING user_id",
                [CHECK_BATCH],
            )
            rows = [row[0] for row in cursor.fetchall()]
    else:
        checks = list(BadgeCheck.objects.order_by("id").values_list("id", "user_id")[:CHECK_BATCH])
        if checks:
            claimed = BadgeCheck.objects.filter(id__in=[pk for pk, _ in checks])
            claimed._raw_delete(claimed.db)
        rows = [user_id for _, user_id in checks]
    return len(rows), sorted(set(rows))


def badges_drain(*, rounds: int = 50) -> tuple[int, bool]:
    """Evaluate the people with pending badge checks, one batch per transaction: how many, and
    whether more may be left after ``rounds`` batches.

    A batch is claimed (deleted) and evaluated in one transaction, so a process that dies
    midway leaves its checks to the next drain; a person with ten checks is evaluated once.
    Two drainers that both evaluate a person grant each badge once (a unique constraint), in
    the same (person, badge) order, so they cannot deadlock. A failing badge rule is logged
    and its batch dropped: the awards are committed, and retrying a broken rule forever would
    help no one.
    """
    people = 0
    for _ in range(rounds):
        with transaction.atomic():
            claimed, user_ids = _checks_claim()
            if user_ids:
                try:
                    with transaction.atomic():
                        badges_evaluate_many(user_ids)
                except Exception:
                    logger.exception("Could not evaluate badges for users %s", user_ids[:20])
        people += len(user_ids)
        if claimed < CHECK_BATCH:
            return people, False
    return people, True


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

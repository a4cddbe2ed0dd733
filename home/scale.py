"""Company-scale data for benchmarks: teams, accounts, challenge weeks and a long-tailed ledger.

``manage.py seed_scale`` calls :func:`scale_seed`. Rows are streamed straight into the tables
(PostgreSQL ``COPY`` through psycopg 3, ``executemany`` on SQLite): 100,000 users and 2,000,000
awards take a few minutes, not hours. The aggregates are then built by
``leaderboard.services.standings_rebuild``, so they are by construction what a rebuild gives.

It lives in ``home`` because it writes challenge weeks (``challenges``) and the ledger
(``leaderboard``), and only ``home`` may import both. The ledger is written directly, not through
``points_award``: they send no announcements, and they are all marked by a ``scale:`` source key
so :func:`scale_reset` can take them out again. The badges this ledger earns by the site's own
rules (``leaderboard.badges.badges_due``) are then granted (:func:`scale_badges`), as a company's
employees with points would already hold them: without it nearly every benchmark award would be
some seeded person's first badge grant, which a real site sees once per person, not per award.
Those grants send no notification (earned before the benchmark's time); week placement badges,
judged when a week is frozen, are not granted.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, Team, User
from challenges.models import ChallengeWeek
from leaderboard.badges import badges_due
from leaderboard.demo import SKILLS
from leaderboard.models import BadgeAward, PointsAward, ScopeSettings
from leaderboard.services import standings_rebuild, week_configure

DOMAIN = "scale.example"
SOURCE_PREFIX = "scale:"
WEEK_TITLE = "Scale week"
# kind: (share of the awards, lowest and highest amount, counts in challenge weeks)
KINDS = {
    "lesson.completed": (30, 5, 10, False),
    "module.completed": (4, 20, 40, False),
    "challenge.flags": (25, 1, 30, True),
    "correction.reviewed": (10, 2, 25, True),
    "review.given": (12, 2, 5, True),
    "review.agreement": (5, 1, 3, True),
    "context.approved": (4, 10, 20, True),
    "testcase.blind_spot": (3, 15, 30, True),
    "reflection.upvoted": (4, 1, 2, False),
    "kudos.received": (2, 1, 5, False),
    "manual": (1, -20, 50, False),
}
# People whose badges one batch of :func:`scale_badges` judges.
BADGE_BATCH = 2000
FIRST_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivo", "Jia", "Kai"]


class ScaleError(Exception):
    """The database already holds seeded-scale rows (or the arguments make no sense)."""


def scale_present() -> bool:
    return User.objects.filter(email__endswith=f"@{DOMAIN}").exists()


def seeded_users() -> int:
    return User.objects.filter(email__endswith=f"@{DOMAIN}").count()


def _copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Stream ``rows`` into ``model``'s table; the other columns get their field defaults."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rest = [f for f in fields if f.column not in columns]
    tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(f.column for f in rest)])
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
            return count
        marks = ", ".join(["%s"] * (len(columns) + len(rest)))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append(row + tail)
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        return count + len(batch)


def _weeks(*, count: int, now: datetime) -> list[tuple[datetime, datetime]]:
    """One week every fortnight, five days long; the last one is running now."""
    latest = now - timedelta(days=2)
    return [
        (latest - timedelta(days=14 * k), latest - timedelta(days=14 * k) + timedelta(days=5))
        for k in reversed(range(count))
    ]


def _awards(
    *,
    rng: random.Random,
    count: int,
    users: list[tuple[int, int]],
    weeks: list[tuple[int, datetime, datetime]],
    start: datetime,
    now: datetime,
    adapt: Callable,
) -> Iterator[tuple]:
    """Award rows: activity per person is Pareto-distributed, so the points have a long tail."""
    cumulative = []
    total = 0.0
    for _ in users:
        total += rng.paretovariate(1.16)
        cumulative.append(total)
    picked = rng.choices(users, cum_weights=cumulative, k=count)
    kinds = list(KINDS)
    kind_picks = rng.choices(kinds, weights=[v[0] for v in KINDS.values()], k=count)
    skill_weights = [1 / (rank + 1) for rank in range(len(SKILLS))]
    span = (now - start).total_seconds()
    for n, ((user_id, team_id), kind) in enumerate(zip(picked, kind_picks, strict=True)):
        _share, low, high, in_weeks = KINDS[kind]
        at = start + timedelta(seconds=rng.random() * span)
        week_id = None
        if in_weeks:
            for wid, starts, ends in weeks:
                if starts <= at < ends:
                    week_id = wid
                    break
        skill = rng.choices(SKILLS, weights=skill_weights)[0] if rng.random() < 0.7 else ""
        amount = rng.randint(low, high) or 1
        yield (user_id, team_id, amount, kind, f"{SOURCE_PREFIX}{n}", skill, week_id, adapt(at))


def scale_seed(
    *, users: int, teams: int, awards: int, weeks: int = 8, password: str, seed: int = 1
) -> dict[str, float]:
    """Fill the database; returns the seconds each phase took. Refused if already seeded."""
    if users < 1 or teams < 1 or awards < 0 or weeks < 0:
        raise ScaleError("Give at least one user and one team, and no negative counts.")
    if scale_present():
        raise ScaleError(
            f"This database already holds seeded-scale users (@{DOMAIN}). "
            "Run with --reset to remove them first."
        )
    rng = random.Random(seed)  # noqa: S311 - reproducible bench data, not a secret
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    timings = {}
    started = time.perf_counter()
    with transaction.atomic():
        team_objs = Team.objects.bulk_create(
            Team(name=f"Scale team {t + 1}", slug=f"scale-team-{t + 1}") for t in range(teams)
        )
        week_objs = []
        for k, (starts, ends) in enumerate(_weeks(count=weeks, now=now)):
            week = ChallengeWeek.objects.create(
                title=f"{WEEK_TITLE} {k + 1}",
                starts_at=starts,
                ends_at=ends,
                # Past weeks count as finalised: no placement run at a page view.
                finalised_at=ends if ends < now else None,
            )
            week_configure(week_id=week.pk, title=week.title)
            week_objs.append(week)
        hashed = make_password(password)  # once: hashing per user would take hours
        joined = adapt(now - timedelta(days=14 * max(weeks, 1) + 30))
        _copy_rows(
            User,
            ["email", "password", "first_name", "last_name", "date_joined"],
            (
                (f"user{i}@{DOMAIN}", hashed, rng.choice(FIRST_NAMES), f"Scale{i}", joined)
                for i in range(users)
            ),
        )
        ids = list(
            User.objects.filter(email__endswith=f"@{DOMAIN}")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        team_ids = [t.pk for t in team_objs]
        # Team sizes vary (Zipf-like): a few large departments, many small teams.
        team_of = rng.choices(team_ids, weights=[1 / (r + 1) ** 0.6 for r in range(teams)], k=users)
        _copy_rows(
            Membership,
            ["user_id", "team_id", "started_at"],
            ((uid, tid, joined) for uid, tid in zip(ids, team_of, strict=True)),
        )
        timings["users and teams"] = time.perf_counter() - started
        started = time.perf_counter()
        _copy_rows(
            PointsAward,
            [
                *("user_id", "team_id", "amount", "kind", "source_key"),
                *("skill", "week_id", "created_at"),
            ],
            _awards(
                rng=rng,
                count=awards,
                users=list(zip(ids, team_of, strict=True)),
                weeks=[(w.pk, w.starts_at, w.ends_at) for w in week_objs],
                start=now - timedelta(days=14 * max(weeks, 1)),
                now=now,
                adapt=adapt,
            ),
        )
        timings["ledger"] = time.perf_counter() - started
    _analyze(vacuum=False)  # statistics for the rebuild's plans
    started = time.perf_counter()
    standings_rebuild()
    timings["standings_rebuild"] = time.perf_counter() - started
    started = time.perf_counter()
    scale_badges()
    timings["badges"] = time.perf_counter() - started
    started = time.perf_counter()
    _analyze(vacuum=True)
    timings["vacuum analyze"] = time.perf_counter() - started
    return timings


def scale_badges() -> int:
    """Grant every seeded person the active badges their ledger and standings earn now and they
    do not hold (``badges_due``: the rules each award's badge check applies), in batches; how
    many were granted. No notification and no ``post_save`` (nothing new happened: the seeded
    history earned them before the benchmark). Runs again safely (held badges are skipped)."""
    seeded = User.objects.filter(email__endswith=f"@{DOMAIN}")
    ids = list(seeded.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    granted = 0
    for start in range(0, len(ids), BADGE_BATCH):
        rows = [
            BadgeAward(badge=badge, user_id=user_id, awarded_at=now)
            for user_id, badge in badges_due(ids[start : start + BADGE_BATCH])
        ]
        BadgeAward.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        granted += len(rows)
    return granted


def _analyze(*, vacuum: bool) -> None:
    """Fresh planner statistics (and, on PostgreSQL, a visibility map for index-only scans)."""
    tables = ["accounts_user", "accounts_membership"]
    tables += [
        f"leaderboard_{t}"
        for t in ("pointsaward", "standing", "teamstanding", "scorebucket", "badgeaward")
    ]
    # VACUUM cannot run inside a transaction (a test, or a caller's atomic block).
    command = "VACUUM ANALYZE" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        for table in tables:
            cursor.execute(f"{command} {table}")


def scale_reset() -> int:
    """Remove every seeded-scale row (bench data only) and rebuild the aggregates.

    The ledger is append-only for the site; these rows were never real awards, so they are
    deleted with SQL (by their ``scale:`` source key), which the ledger's model would refuse.
    """
    with transaction.atomic():
        ids = User.objects.filter(email__endswith=f"@{DOMAIN}").values("pk")
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM leaderboard_pointsaward WHERE source_key LIKE %s",
                [f"{SOURCE_PREFIX}%"],
            )
            removed = cursor.rowcount
        User.objects.filter(pk__in=ids).delete()
        Team.objects.filter(slug__startswith="scale-team-").delete()
        weeks = ChallengeWeek.objects.filter(title__startswith=f"{WEEK_TITLE} ")
        ScopeSettings.objects.filter(scope__in=[w.scope for w in weeks]).delete()
        weeks.delete()
    standings_rebuild()
    return removed

"""Recompute the standings from the ledger in a few set-based statements.

``points_award`` keeps ``Standing``, ``TeamStanding`` and ``ScoreBucket`` in step with the ledger
one award at a time; this module recomputes them from scratch, and must agree with it (a test
proves rebuild == incremental). Each kind of scope (all, month, week, skill) is one
``INSERT … SELECT … GROUP BY`` over the ledger, written with the ORM's aggregates so the same
code runs on PostgreSQL and SQLite; a month is an index range on ``created_at`` bounded in the
site's time zone (``scopes.award_filter``), as ``points_award`` keys it. No row passes through
Python, so 2M ledger rows take seconds, not minutes.

Running while awards arrive (PostgreSQL): the rebuild first takes a SHARE lock on the ledger,
which waits for the awards in flight to commit and then makes new awards wait at their ledger
INSERT (readers are not blocked), and then an EXCLUSIVE lock on the three aggregate tables, so
nothing else writes them while they are replaced (readers still see the old rows until commit:
boards keep serving during a rebuild). So the rebuild sees one fixed ledger, no award is half
counted, and the awards that waited apply their increments to the rebuilt rows after commit. An
award holds only its user's row lock while it waits; the rebuild holds no lock an award has, so
they cannot deadlock. On SQLite a write transaction already excludes every other writer.
"""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import CharField, Max, Min, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from leaderboard import scopes
from leaderboard.models import PointsAward, ScopeSettings, ScoreBucket, Standing, TeamStanding


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _text(expression):
    return Cast(expression, output_field=CharField())


def _months() -> list[str]:
    """Every month key from the ledger's first award to its last, in the site's time zone."""
    span = PointsAward.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    first, last = (timezone.localtime(span[end]) for end in ("first", "last"))
    return [
        f"month-{n // 12:04d}-{n % 12 + 1:02d}"
        for n in range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    ]


def _scoped_ledgers(frozen: dict[int, datetime]) -> list[QuerySet]:
    """Ledger querysets annotated with ``scope_key``: together, every (award, scope) pair."""
    awards = PointsAward.objects.order_by()
    ledgers = [awards.annotate(scope_key=Value(scopes.ALL, output_field=CharField()))]
    # One index range per month of the ledger (a per-row time-zone conversion is slow on SQLite).
    for month in _months():
        ledgers.append(
            awards.filter(scopes.award_filter(month)).annotate(
                scope_key=Value(month, output_field=CharField())
            )
        )
    ledgers += [
        # week_id 0 counts in no week (scopes.scopes_for tests it for truth).
        awards.filter(week_id__gt=0)
        .exclude(week_id__in=list(frozen))
        .annotate(scope_key=Concat(Value("week-"), _text("week_id"), output_field=CharField())),
        awards.exclude(skill="").annotate(
            scope_key=Concat(Value("skill-"), "skill", output_field=CharField())
        ),
    ]
    # A frozen week's board keeps the awards up to its freeze time (a handful of scopes).
    for week_id, frozen_at in frozen.items():
        ledgers.append(
            awards.filter(scopes.award_filter(f"week-{week_id}", frozen_at=frozen_at)).annotate(
                scope_key=Value(f"week-{week_id}", output_field=CharField())
            )
        )
    return ledgers


def _insert_aggregates(ledger: QuerySet) -> None:
    """Insert the standings and team standings of the scopes in ``ledger`` (scope_key)."""
    per_user = (
        ledger.values("scope_key", "user_id")
        .annotate(points=Sum("amount"), reached=Max("created_at"))
        .order_by()
    )
    sql, params = per_user.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Standing)} (scope, user_id, points, reached_at) "  # noqa: S608
            f"SELECT s.scope_key, s.user_id, s.points, s.reached FROM ({sql}) s",
            params,
        )
        # Per (scope, team, user) first, so the member count is a plain COUNT(*).
        per_member = (
            ledger.filter(team_id__isnull=False)
            .values("scope_key", "team_id", "user_id")
            .annotate(points=Sum("amount"), reached=Max("created_at"))
            .order_by()
        )
        sql, params = per_member.query.sql_with_params()
        cursor.execute(
            f"INSERT INTO {_table(TeamStanding)} "  # noqa: S608
            "(scope, team_id, points, members, reached_at) "
            "SELECT m.scope_key, m.team_id, SUM(m.points), COUNT(*), MAX(m.reached) "
            f"FROM ({sql}) m GROUP BY m.scope_key, m.team_id",
            params,
        )


def _insert_buckets(scope: str | None = None) -> None:
    """The score histogram, counted from the standings just inserted."""
    where, params = ("WHERE scope = %s ", [scope]) if scope else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(ScoreBucket)} (scope, points, count) "  # noqa: S608
            f"SELECT scope, points, COUNT(*) FROM {_table(Standing)} {where}"
            "GROUP BY scope, points",
            params,
        )


def _frozen_weeks() -> dict[int, datetime]:
    frozen = {}
    for scope, frozen_at in ScopeSettings.objects.filter(
        scope__startswith="week-", frozen_at__isnull=False
    ).values_list("scope", "frozen_at"):
        frozen[int(scope.removeprefix("week-"))] = frozen_at
    return frozen


def _lock_for_rebuild() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Sorting and hashing a few million rows fits in memory instead of spilling to disk.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"LOCK TABLE {_table(PointsAward)} IN SHARE MODE")
        cursor.execute(
            f"LOCK TABLE {_table(Standing)}, {_table(TeamStanding)}, {_table(ScoreBucket)} "
            "IN EXCLUSIVE MODE"
        )


@transaction.atomic
def standings_rebuild() -> dict[str, int]:
    """Recompute every standing from the ledger (the incremental rows must equal this).

    Safe while awards arrive: see the module docstring for the locks it takes.
    """
    _lock_for_rebuild()
    frozen = _frozen_weeks()
    # DELETE, not TRUNCATE: TRUNCATE would block the boards' readers until commit.
    with connection.cursor() as cursor:
        for model in (ScoreBucket, TeamStanding, Standing):
            cursor.execute(f"DELETE FROM {_table(model)}")  # noqa: S608
    for ledger in _scoped_ledgers(frozen):
        _insert_aggregates(ledger)
    _insert_buckets()
    return {
        "standings": Standing.objects.count(),
        "team_standings": TeamStanding.objects.count(),
        "score_buckets": ScoreBucket.objects.count(),
    }


def scope_rebuild(scope: str, *, frozen_at: datetime | None) -> None:
    """Recompute one scope's rows (a week frozen, unfrozen or moved) in the caller's transaction."""
    Standing.objects.filter(scope=scope).delete()
    TeamStanding.objects.filter(scope=scope).delete()
    ScoreBucket.objects.filter(scope=scope).delete()
    ledger = PointsAward.objects.order_by().filter(scopes.award_filter(scope, frozen_at=frozen_at))
    _insert_aggregates(ledger.annotate(scope_key=Value(scope, output_field=CharField())))
    _insert_buckets(scope)

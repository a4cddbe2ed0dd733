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
boards keep serving during a rebuild). It first takes the fold lock (``leaderboard.aggregates``),
so no fold writes the aggregates meanwhile, and drops the pending deltas, which belong to awards
it counts anyway. So the rebuild sees one fixed ledger, no award is half
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
from leaderboard.aggregates import fold_lock, pending_drop
from leaderboard.models import PointsAward, ScopeSettings, ScoreBucket, Standing, TeamStanding
from leaderboard.selectors.ranks import ledger_rewritten


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


# The rebuilt rows are computed into temporary tables first, then only the differences are
# written: on a consistent database a rebuild writes (almost) nothing, and the aggregate tables do
# not fill with the dead rows a delete-everything-and-insert would leave in their unique indexes.
_TARGETS = {
    # temporary table: (model, key columns, value columns)
    "rebuild_standing": (Standing, ["scope", "user_id"], ["points", "reached_at"]),
    "rebuild_team": (TeamStanding, ["scope", "team_id"], ["points", "members", "reached_at"]),
    "rebuild_bucket": (ScoreBucket, ["scope", "points"], ["count"]),
}


def _column_type(model, column: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    return "integer" if field.is_relation else field.db_type(connection)


def _create_temporary_tables(cursor) -> None:
    member = "rebuild_member"
    cursor.execute(f"DROP TABLE IF EXISTS {member}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {member} (scope {_column_type(Standing, 'scope')}, "
        "team_id integer, user_id integer, points integer, "
        f"reached_at {_column_type(Standing, 'reached_at')})"
    )
    for name, (model, keys, values) in _TARGETS.items():
        columns = ", ".join(f"{c} {_column_type(model, c)}" for c in keys + values)
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def _collect_members(cursor, ledger: QuerySet) -> None:
    """Per (scope, team, user): the rows both standings and team standings are summed from."""
    per_member = (
        ledger.values("scope_key", "team_id", "user_id")
        .annotate(points=Sum("amount"), reached=Max("created_at"))
        .order_by()
    )
    sql, params = per_member.query.sql_with_params()
    cursor.execute(
        "INSERT INTO rebuild_member (scope, team_id, user_id, points, reached_at) "  # noqa: S608
        f"SELECT m.scope_key, m.team_id, m.user_id, m.points, m.reached FROM ({sql}) m",
        params,
    )


def _apply(cursor, *, scope: str | None) -> int:
    """Sum the members into the rebuilt rows and write the differences; returns rows changed."""
    cursor.execute(
        "INSERT INTO rebuild_standing (scope, user_id, points, reached_at) "
        "SELECT scope, user_id, SUM(points), MAX(reached_at) FROM rebuild_member "
        "GROUP BY scope, user_id"
    )
    cursor.execute(
        "INSERT INTO rebuild_team (scope, team_id, points, members, reached_at) "
        "SELECT scope, team_id, SUM(points), COUNT(*), MAX(reached_at) FROM rebuild_member "
        "WHERE team_id IS NOT NULL GROUP BY scope, team_id"
    )
    cursor.execute(
        "INSERT INTO rebuild_bucket (scope, points, count) "
        "SELECT scope, points, COUNT(*) FROM rebuild_standing GROUP BY scope, points"
    )
    changed = 0
    for name, (model, keys, values) in _TARGETS.items():
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {name}")  # temporary tables get no automatic statistics
        else:
            # SQLite joins by nested loops: give them an index (PostgreSQL hashes instead).
            cursor.execute(f"CREATE INDEX {name}_key ON {name} ({', '.join(keys)})")
        table = _table(model)
        match = " AND ".join(f"r.{k} = {table}.{k}" for k in keys)
        where, params = (f"{table}.scope = %s AND ", [scope]) if scope else ("", [])
        columns = ", ".join(keys + values)
        cursor.execute(
            f"DELETE FROM {table} WHERE {where}"  # noqa: S608
            f"NOT EXISTS (SELECT 1 FROM {name} r WHERE {match})",
            params,
        )
        changed += cursor.rowcount
        differs = " OR ".join(f"{table}.{v} <> r.{v}" for v in values)
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{v} = r.{v}' for v in values)} "  # noqa: S608
            f"FROM {name} r WHERE {match} AND ({differs})"
        )
        changed += cursor.rowcount
        # The rows still missing. ON CONFLICT probes the unique index row by row; an anti-join
        # planned on the statistics of an empty table (the first rebuild after seeding) would
        # scan the table once per row it inserts. ("WHERE true" lets SQLite parse the upsert.)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name} "  # noqa: S608
            "WHERE true ON CONFLICT DO NOTHING"
        )
        changed += cursor.rowcount
    for name in ["rebuild_member", *_TARGETS]:
        cursor.execute(f"DROP TABLE {name}")
    return changed


def _frozen_weeks() -> dict[int, datetime]:
    frozen = {}
    for scope, frozen_at in ScopeSettings.objects.filter(
        scope__startswith="week-", frozen_at__isnull=False
    ).values_list("scope", "frozen_at"):
        frozen[int(scope.removeprefix("week-"))] = frozen_at
    return frozen


def _lock_for_rebuild() -> None:
    # No fold runs meanwhile (it would write the rows being replaced); the deltas pending now
    # belong to committed awards, whose ledger rows the rebuild counts, so they are dropped.
    fold_lock(wait=True)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Hashing a few million rows fits in memory instead of spilling to disk; the anti-joins
        # of the rebuilt rows against the tables hash their (scope, id) keys rather than sorting
        # 800k strings under the collation (a merge join took 4x longer at 2M ledger rows).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"LOCK TABLE {_table(PointsAward)} IN SHARE MODE")
        cursor.execute(
            f"LOCK TABLE {_table(Standing)}, {_table(TeamStanding)}, {_table(ScoreBucket)} "
            "IN EXCLUSIVE MODE"
        )


@transaction.atomic
def standings_rebuild() -> dict[str, int]:
    """Recompute every standing from the ledger (the incremental rows must equal this).

    Safe while awards arrive: see the module docstring for the locks it takes. Returns the
    number of rows of each aggregate and how many rows the rebuild had to change.
    """
    _lock_for_rebuild()
    ledger_rewritten()  # what was kept of anyone's own standings (the dashboard) is stale
    frozen = _frozen_weeks()
    with connection.cursor() as cursor:
        _create_temporary_tables(cursor)
        for ledger in _scoped_ledgers(frozen):
            _collect_members(cursor, ledger)
        changed = _apply(cursor, scope=None)
    pending_drop()
    return {
        "standings": Standing.objects.count(),
        "team_standings": TeamStanding.objects.count(),
        "score_buckets": ScoreBucket.objects.count(),
        "changed": changed,
    }


def scope_rebuild(scope: str, *, frozen_at: datetime | None) -> None:
    """Recompute one scope's rows (a week frozen, unfrozen or moved) in the caller's transaction."""
    ledger = PointsAward.objects.order_by().filter(scopes.award_filter(scope, frozen_at=frozen_at))
    fold_lock(wait=True)
    ledger_rewritten()  # everyone's standings in this scope are rewritten
    pending_drop(scope)
    with connection.cursor() as cursor:
        _create_temporary_tables(cursor)
        _collect_members(cursor, ledger.annotate(scope_key=Value(scope, output_field=CharField())))
        _apply(cursor, scope=scope)

"""The standings an award moves, and the fold that keeps the shared aggregates in step.

An award changes three kinds of rows in each scope it counts in:

- the person's ``Standing``: theirs alone, written in the award's transaction with one upsert for
  all its scopes (the lock on the person's user row serialises their awards);
- the scope's ``ScoreBucket`` histogram and the team's ``TeamStanding``: shared with everyone at
  the same score or in the same team. Writing them in the award made awards queue on a few hot
  rows (31-36 awards/s whatever the number of writers) and let two-award transactions deadlock.
  The award appends ``AggregateDelta`` rows instead, which never wait on each other, and
  :func:`aggregates_fold` applies them in batches after commit (``leaderboard.services.settle``).

One folder runs at a time (a transaction-scoped advisory lock on PostgreSQL; SQLite has one
writer anyway). A folder that finds the lock taken leaves: the holder checks for new deltas
after it commits and folds again, so every delta committed before a fold attempt is folded by
that attempt or by the holder's next round. Until then a rank read from the buckets may lag by
a fold round (milliseconds when idle, more under load); the person's own points never lag.
``standings_rebuild`` takes the same lock and drops the deltas it recomputes.

Badges ride along: each award writes a ``BadgeCheck`` row in its transaction, and
:func:`aggregates_fold` ends by draining them (``leaderboard.badges.badges_drain``: claimed in
batches and evaluated in the claiming transaction, a few reads per batch). A person with ten
awards in a burst is evaluated once; a check whose award's process died is drained by the next
fold anywhere or by the sweep.
"""

import logging
from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Count

from accounts.models import Team
from leaderboard import scopes
from leaderboard.models import (
    AggregateDelta,
    PointsAward,
    ScopeSettings,
    ScoreBucket,
    Standing,
    TeamStanding,
)
from leaderboard.selectors.ranks import standings_moved

# Any constant; names the fold in pg_locks (b"fold" as an integer).
FOLD_LOCK = 0x666F6C64
FOLD_BATCH = 2000

logger = logging.getLogger(__name__)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_prepared_class = None


def _prepared():
    """The server-binding cursor class that prepares what it runs (built once), or None."""
    global _prepared_class
    if _prepared_class is None:
        try:
            from django.db.backends.postgresql.base import ServerBindingCursor
        except ImportError:  # psycopg2: client-side binding only
            _prepared_class = False
            return None

        class Prepared(ServerBindingCursor):
            def execute(self, query, params=None, **kwargs):
                result = super().execute(query, params, prepare=True)
                # What Django's query log reads (a server-bound cursor keeps no text): the
                # statement with its placeholders.
                self._query = SimpleNamespace(query=str(query).encode())
                return result

        _prepared_class = Prepared
    return _prepared_class or None


def prepared_cursor():
    """A cursor for a hot statement: on PostgreSQL with psycopg 3 it binds parameters on the
    server and prepares the statement on first use (Django leaves psycopg's automatic
    preparation off), so PostgreSQL plans the award and fold statements once per connection
    instead of on every award. Logged and error-wrapped like any Django cursor."""
    if connection.vendor == "postgresql" and (prepared := _prepared()) is not None:
        connection.ensure_connection()
        if connection.connection.prepare_threshold is None:
            # None turns explicit preparation off too; a threshold no statement reaches keeps
            # every other statement unprepared, as Django has it.
            connection.connection.prepare_threshold = 2**31
        return connection._prepare_cursor(prepared(connection.connection))
    return connection.cursor()


def _greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if connection.vendor == "postgresql" else f"MAX({a}, {b})"


def _when(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _upsert(model, keys: list[str], rows: list[tuple], *, add: list[str], latest: str = "") -> None:
    """Insert ``rows`` or add their ``add`` columns to the existing rows, in one statement."""
    if not rows:
        return
    table = _table(model)
    columns = keys + add + ([latest] if latest else [])
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    changes = [f"{c} = {table}.{c} + excluded.{c}" for c in add]
    if latest:
        changes.append(f"{latest} = {_greatest(f'{table}.{latest}', f'excluded.{latest}')}")
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
        + ", ".join([placeholders] * len(rows))
        + f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(changes)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _delete(rows) -> int:
    """One DELETE statement (these rows have no relations and no delete signals to honour)."""
    return rows._raw_delete(rows.db)


def _frozen(live_scopes: list[str]) -> dict[str, datetime]:
    weeks = [scope for scope in live_scopes if scope.startswith("week-")]
    if not weeks:
        return {}
    return dict(
        ScopeSettings.objects.filter(scope__in=weeks, frozen_at__isnull=False).values_list(
            "scope", "frozen_at"
        )
    )


def _new_member_scopes(award: PointsAward, live: list[tuple[str, datetime | None]]) -> set[str]:
    """The scopes where ``award`` is its person's first for their team (one query)."""
    counts = (
        PointsAward.objects.filter(user_id=award.user_id, team_id=award.team_id)
        .exclude(pk=award.pk)
        .aggregate(
            **{
                f"s{i}": Count("pk", filter=scopes.award_filter(scope, frozen_at=frozen_at))
                if scope != scopes.ALL
                else Count("pk")
                for i, (scope, frozen_at) in enumerate(live)
            }
        )
    )
    return {scope for i, (scope, _) in enumerate(live) if not counts[f"s{i}"]}


def standings_apply(award: PointsAward) -> list[str]:
    """Apply one award to every standing it counts in; returns the scopes that moved.

    Runs inside the award's transaction, under the lock on the person's user row. Writes the
    person's own standings and appends the shared aggregates' changes as deltas: a constant
    number of statements however many scopes, and no row another person's award writes.
    """
    moved = scopes.scopes_for(created_at=award.created_at, week_id=award.week_id, skill=award.skill)
    frozen = _frozen(moved)
    # A frozen week's public board keeps its standings; the scope is still announced, because
    # L&D watch the live standings (read from the ledger) on the same socket.
    live = [
        (scope, frozen.get(scope))
        for scope in moved
        if scope not in frozen or award.created_at <= frozen[scope]
    ]
    if not live:
        return moved
    names = [scope for scope, _ in live]
    before = dict(
        Standing.objects.filter(user_id=award.user_id, scope__in=names).values_list(
            "scope", "points"
        )
    )
    at = _when(award.created_at)
    _upsert(
        Standing,
        ["scope", "user_id"],
        [(scope, award.user_id, award.amount, at) for scope in names],
        add=["points"],
        latest="reached_at",
    )
    bucket = AggregateDelta.BUCKET
    deltas = []
    for scope in names:
        if scope in before:
            deltas.append(AggregateDelta(kind=bucket, scope=scope, key=before[scope], count=-1))
        points = before.get(scope, 0) + award.amount
        deltas.append(AggregateDelta(kind=bucket, scope=scope, key=points, count=1))
    if award.team_id:
        new_member = _new_member_scopes(award, live)
        deltas += [
            AggregateDelta(
                kind=AggregateDelta.TEAM,
                scope=scope,
                key=award.team_id,
                points=award.amount,
                members=int(scope in new_member),
                reached_at=award.created_at,
            )
            for scope in names
        ]
    AggregateDelta.objects.bulk_create(deltas)
    return moved


def fold_lock(*, wait: bool) -> bool:
    """Take the fold lock for the current transaction (PostgreSQL); True when held."""
    if connection.vendor != "postgresql":
        return True
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [FOLD_LOCK])
        held = cursor.fetchone()[0]
    return wait or bool(held)


def _fold_postgresql() -> int:
    """One statement: take a batch of deltas, apply them, delete them. Runs after the statement
    that took the fold lock, so its snapshot is newer than every other folder's commit: the
    bucket counts it reads are the current ones, and a bucket brought to zero can be deleted in
    the same statement."""
    delta, bucket, team = _table(AggregateDelta), _table(ScoreBucket), _table(TeamStanding)
    sql = f"""
        WITH taken AS (
            DELETE FROM {delta} WHERE id = ANY(ARRAY(SELECT id FROM {delta} ORDER BY id LIMIT %s))
            RETURNING kind, scope, key, count, points, members, reached_at
        ), moves AS (
            SELECT scope, key, SUM(count) AS n FROM taken WHERE kind = %s
            GROUP BY scope, key HAVING SUM(count) <> 0
        ), raised AS (
            INSERT INTO {bucket} (scope, points, count)
            SELECT scope, key, n FROM moves WHERE n > 0 ORDER BY scope, key
            ON CONFLICT (scope, points) DO UPDATE SET count = {bucket}.count + excluded.count
            RETURNING 1
        ), emptied AS (
            -- The rows exist: a person leaves a score only after entering it. A bucket whose
            -- last holders left is deleted, the others lowered (the check constraint keeps
            -- counts from going below zero).
            DELETE FROM {bucket} USING moves
            WHERE moves.n < 0 AND {bucket}.scope = moves.scope AND {bucket}.points = moves.key
              AND {bucket}.count + moves.n = 0
            RETURNING 1
        ), lowered AS (
            UPDATE {bucket} SET count = {bucket}.count + moves.n FROM moves
            WHERE moves.n < 0 AND {bucket}.scope = moves.scope AND {bucket}.points = moves.key
              AND {bucket}.count + moves.n <> 0
            RETURNING 1
        ), teams AS (
            INSERT INTO {team} (scope, team_id, points, members, reached_at)
            SELECT scope, key, SUM(points), SUM(members), MAX(reached_at) FROM taken
            WHERE kind = %s AND EXISTS (SELECT 1 FROM {_table(Team)} t WHERE t.id = taken.key)
            GROUP BY scope, key ORDER BY scope, key
            ON CONFLICT (scope, team_id) DO UPDATE SET
                points = {team}.points + excluded.points,
                members = {team}.members + excluded.members,
                reached_at = GREATEST({team}.reached_at, excluded.reached_at)
            RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM taken), (SELECT COUNT(*) FROM raised),
               (SELECT COUNT(*) FROM emptied), (SELECT COUNT(*) FROM lowered),
               (SELECT COUNT(*) FROM teams)
    """  # noqa: S608
    with prepared_cursor() as cursor:
        cursor.execute(sql, [FOLD_BATCH, AggregateDelta.BUCKET, AggregateDelta.TEAM])
        return cursor.fetchone()[0]


def _fold_portable() -> int:
    """The same fold in a few statements, for SQLite (one writer at a time)."""
    batch = list(
        AggregateDelta.objects.order_by("id").values_list(
            "id", "kind", "scope", "key", "count", "points", "members", "reached_at"
        )[:FOLD_BATCH]
    )
    if not batch:
        return 0
    buckets: dict[tuple[str, int], int] = defaultdict(int)
    teams: dict[tuple[str, int], list] = {}
    for _, kind, scope, key, count, points, members, reached_at in batch:
        if kind == AggregateDelta.BUCKET:
            buckets[scope, key] += count
        else:
            row = teams.setdefault((scope, key), [0, 0, reached_at])
            row[0] += points
            row[1] += members
            row[2] = max(row[2], reached_at)
    moves = sorted((scope, points, n) for (scope, points), n in buckets.items() if n)
    # A check constraint judges an upsert's proposed row, so lowering is a plain UPDATE (the
    # rows exist: a person leaves a score only after entering it).
    _upsert(ScoreBucket, ["scope", "points"], [m for m in moves if m[2] > 0], add=["count"])
    emptied = [(scope, points) for scope, points, n in moves if n < 0]
    if emptied:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_table(ScoreBucket)} SET count = count + %s "  # noqa: S608
                "WHERE scope = %s AND points = %s",
                [(n, scope, points) for scope, points, n in moves if n < 0],
            )
        _delete(
            ScoreBucket.objects.filter(
                scope__in={s for s, _ in emptied}, points__in={p for _, p in emptied}, count=0
            )
        )
    if teams:
        alive = set(Team.objects.filter(pk__in={t for _, t in teams}).values_list("pk", flat=True))
        _upsert(
            TeamStanding,
            ["scope", "team_id"],
            [
                (scope, team, points, members, _when(reached_at))
                for (scope, team), (points, members, reached_at) in sorted(teams.items())
                if team in alive
            ],
            add=["points", "members"],
            latest="reached_at",
        )
    _delete(AggregateDelta.objects.filter(id__in=[row[0] for row in batch]))
    return len(batch)


def fold_batch(*, locked: bool = False) -> int | None:
    """Fold one batch of deltas in the current transaction; how many, or None when another
    folder holds the lock. ``locked``: the caller took the lock already in this transaction.
    Every "out of score p" delta follows the same person's "into p" (their awards are
    serialised), so no bucket's net change takes it below zero.
    """
    if not locked and not fold_lock(wait=False):
        return None
    folded = _fold_postgresql() if connection.vendor == "postgresql" else _fold_portable()
    if folded:
        standings_moved()  # ranks kept under the old standings generation are stale
    return folded


def _fold_once() -> int | None:
    with transaction.atomic():
        return fold_batch()


def _pending() -> bool:
    """Whether any delta waits (one statement; along the primary key, which stays short where a
    sequential scan would read every page the queue ever filled)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT id FROM {_table(AggregateDelta)} ORDER BY id LIMIT 1) IS NOT NULL"  # noqa: S608
        )
        return bool(cursor.fetchone()[0])


def aggregates_fold(*, rounds: int = 50, badges: bool = True) -> int:
    """Apply pending deltas to the score buckets and team standings, then (``badges``) evaluate
    the badges of people with pending checks; returns how many deltas were folded.

    Called after awards commit (``leaderboard.services.settle``) and by the periodic sweep as
    a safety net. The fold returns at once when another process is folding: that process looks
    again after it commits. The badge checks are drained whoever folds (each batch is claimed
    with SKIP LOCKED, so drainers in several processes share them).
    """
    folded = 0
    for _ in range(rounds):
        done = _fold_once()
        if done is None:
            break  # another folder holds the lock: it looks again after it commits
        folded += done
        # A batch that was not full took everything its snapshot saw; look once more after the
        # commit, for deltas whose folders found the lock taken meanwhile and left.
        if done < FOLD_BATCH and not _pending():
            break
    if badges:
        from leaderboard.badges import badges_drain

        badges_drain()
    return folded


def pending_drop(scope: str | None = None) -> None:
    """Forget the deltas a rebuild has just recomputed (caller holds the fold lock)."""
    standings_moved()  # the rebuild rewrote the aggregates ranks are counted from
    pending = AggregateDelta.objects.all()
    if scope is not None:
        pending = pending.filter(scope=scope)
    _delete(pending)

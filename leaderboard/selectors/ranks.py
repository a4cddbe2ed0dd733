"""Ranks: a person's place on a board from the score histogram plus the ties ahead of them.

A rank is 1 + the people with more points (the sum of the score buckets above) + the people
with the same points who reached them earlier (an index range): a few indexed queries whatever
the ledger's size. Privacy: users who opted out show as "Anonymous mentor" to everyone but
themselves and L&D.
"""

import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from leaderboard.models import (
    ScoreBucket,
    Standing,
)

ANONYMOUS = "Anonymous mentor"
ORDER = ("-points", "reached_at", "user_id")


def _ahead(points: int, reached_at, user_id: int) -> Q:
    """Rows ahead of (points, reached_at, user_id) in board order."""
    return (
        Q(points__gt=points)
        | Q(points=points, reached_at__lt=reached_at)
        | Q(points=points, reached_at=reached_at, user_id__lt=user_id)
    )


def _tied_ahead(board, *, points, reached_at, user_id):
    """Rows of ``board`` with the same score, reached earlier (or at once by a lower user id).

    An index range on (scope, points, reached_at) that stops at the viewer's own entry, so it
    reads only the ties ahead of them, however large the tie group is.
    """
    return board.filter(points=points, reached_at__lte=reached_at).exclude(
        reached_at=reached_at, user_id__gte=user_id
    )


def _count(qs, field="*", function=Count):
    # COUNT(*), not COUNT(id): PostgreSQL can then answer from the rank index alone
    # (an index-only scan) instead of visiting the table for every row counted.
    return Coalesce(
        Subquery(qs.order_by().values("scope").annotate(n=function(field)).values("n")), Value(0)
    )


def standing_rank(*, scope: str, user) -> tuple[Standing | None, int | None]:
    """The viewer's standing in ``scope`` and rank (1 + rows ahead), or (None, None).

    One statement: the sum of the score buckets above the viewer plus the ties reached earlier
    (``_tied_ahead``'s index range). Written out because building it with the ORM cost more
    than running it; ``user`` is a user or a user id.
    """
    user_id = getattr(user, "pk", user)
    standing = next(iter(Standing.objects.raw(_standing_rank_sql(), [scope, user_id])), None)
    if standing is None:
        return None, None
    return standing, int(standing.higher) + int(standing.tied) + 1


def _standing_rank_sql() -> str:
    """``standing_rank``'s statement (parameters: scope, user id)."""
    quote = connection.ops.quote_name
    standings = quote(Standing._meta.db_table)
    buckets = quote(ScoreBucket._meta.db_table)
    return (
        f"SELECT s.id, s.scope, s.user_id, s.points, s.reached_at,"  # noqa: S608 - table names from the models
        f" COALESCE((SELECT SUM(b.count) FROM {buckets} b"
        f" WHERE b.scope = s.scope AND b.points > s.points), 0) AS higher,"
        f" (SELECT COUNT(*) FROM {standings} t WHERE t.scope = s.scope AND t.points = s.points"
        f" AND t.reached_at <= s.reached_at"
        f" AND NOT (t.reached_at = s.reached_at AND t.user_id >= s.user_id)) AS tied"
        f" FROM {standings} s WHERE s.scope = %s AND s.user_id = %s"
    )


def _watchers(scope: str, user_ids) -> list[tuple[int, int, object, int]]:
    """(user_id, points, reached_at, ties ahead) of each of ``user_ids`` on the board: one query."""
    tied = _tied_ahead(
        Standing.objects.filter(scope=OuterRef("scope")),
        points=OuterRef("points"),
        reached_at=OuterRef("reached_at"),
        user_id=OuterRef("user_id"),
    )
    return list(
        Standing.objects.filter(scope=scope, user_id__in=list(user_ids))
        .annotate(tied=_count(tied))
        .values_list("user_id", "points", "reached_at", "tied")
    )


def _higher_counts(scope: str, scores) -> dict[int, int]:
    """{score: users with a higher score} for several scores, from one read of the histogram.

    Reads only the buckets above the lowest of ``scores`` (one per distinct score, far fewer
    than users) and sums them from the top down.
    """
    if not scores:
        return {}
    buckets = ScoreBucket.objects.filter(scope=scope, points__gt=min(scores)).order_by("-points")
    wanted = sorted(set(scores), reverse=True)
    result = {}
    above = 0
    i = 0
    for points, count in buckets.values_list("points", "count"):
        while i < len(wanted) and wanted[i] >= points:
            result[wanted[i]] = above
            i += 1
        above += count
    for score in wanted[i:]:
        result[score] = above
    return result


def rank_map(*, scope: str, user_ids) -> dict[int, tuple[int, int]]:
    """{user_id: (rank, points)} for several users in two queries, however many they are."""
    if not user_ids:
        return {}
    rows = _watchers(scope, user_ids)
    higher = _higher_counts(scope, [points for _, points, _, _ in rows])
    return {uid: (higher[points] + tied + 1, points) for uid, points, _, tied in rows}


def board_top(*, scope: str, limit: int) -> list[Standing]:
    return list(
        Standing.objects.filter(scope=scope).select_related("user").order_by(*ORDER)[:limit]
    )


# What a board row shows of a person (``boards.standing_row``: name, privacy choice).
_ROW_USER_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "display_name",
    "email",
    "show_on_leaderboards",
)


def board_top_people(*, scope: str, limit: int) -> list[tuple[object, int]]:
    """``board_top`` for a page: (user, points) of the top ``limit`` in board order, each user
    carrying only what a row shows. One statement written out along the rank index: building
    it with the ORM and loading whole user rows cost more than running it."""
    from accounts.models import User

    fields, sql = _top_people_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, limit])
        rows = cursor.fetchall()
    return [(User.from_db("default", fields, row[1:]), row[0]) for row in rows]


def _top_people_sql() -> tuple[list[str], str]:
    """``board_top_people``'s user columns and statement (parameters: scope, limit)."""
    from accounts.models import User

    quote = connection.ops.quote_name
    users = quote(User._meta.db_table)
    # In the model's field order, as ``from_db`` takes a subset of fields.
    fields = [f.column for f in User._meta.concrete_fields if f.column in _ROW_USER_FIELDS]
    columns = ", ".join(f"u.{quote(name)}" for name in fields)
    sql = (
        f"SELECT s.points, {columns} FROM {quote(Standing._meta.db_table)} s"  # noqa: S608 - names from the models
        f" JOIN {users} u ON u.id = s.user_id"
        f" WHERE s.scope = %s ORDER BY s.points DESC, s.reached_at, s.user_id LIMIT %s"
    )
    return fields, sql


def board_top_people_and_rank(
    *, scope: str, user, limit: int
) -> tuple[list[tuple[object, int]], Standing | None, int | None]:
    """``board_top_people(scope, limit)`` and ``standing_rank(scope, user)`` in one statement
    (a board page needs both: one round trip and one statement to plan, not two)."""
    from accounts.models import User

    quote = connection.ops.quote_name
    fields, _ = _top_people_sql()
    columns = ", ".join(f"u.{quote(name)}" for name in fields)
    blanks = ", ".join(["NULL"] * len(fields))
    sql = (
        f"SELECT * FROM (SELECT 0 AS own, s.points, s.reached_at, s.user_id,"  # noqa: S608 - names from the models
        f" CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS bigint),"
        f" {columns} FROM {quote(Standing._meta.db_table)} s"
        f" JOIN {quote(User._meta.db_table)} u ON u.id = s.user_id WHERE s.scope = %s"
        f" ORDER BY s.points DESC, s.reached_at, s.user_id LIMIT %s) AS top"
        f" UNION ALL SELECT 1, me.points, me.reached_at, me.user_id, me.higher, me.tied, me.id,"
        f" {blanks} FROM ({_standing_rank_sql()}) AS me"
        f" ORDER BY 1, 2 DESC, 3, 4"
    )
    user_id = getattr(user, "pk", user)
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, limit, scope, user_id])
        rows = cursor.fetchall()
    people = [(User.from_db("default", fields, row[7:]), row[1]) for row in rows if row[0] == 0]
    own = [row for row in rows if row[0] == 1]
    if not own:
        return people, None, None
    _, points, reached_at, own_user_id, higher, tied, pk = own[0][:7]
    if reached_at is not None and timezone.is_naive(reached_at):  # SQLite: UTC, as stored
        reached_at = timezone.make_aware(reached_at, connection.timezone)
    standing = Standing(
        id=pk, scope=scope, user_id=own_user_id, points=points, reached_at=reached_at
    )
    standing._state.adding, standing._state.db = False, "default"
    return people, standing, int(higher) + int(tied) + 1


def board_near(*, scope: str, standing: Standing, rank: int, reach: int = 5) -> list[dict]:
    """The ``reach`` rows above and below ``standing`` (keyset reads along the rank index)."""
    ahead_q = _ahead(standing.points, standing.reached_at, standing.user_id)
    board = Standing.objects.filter(scope=scope).select_related("user")
    above = list(board.filter(ahead_q).order_by("points", "-reached_at", "-user_id")[:reach])
    below = list(board.exclude(ahead_q).exclude(pk=standing.pk).order_by(*ORDER)[:reach])
    above.reverse()
    rows = [(rank - len(above) + i, s) for i, s in enumerate(above)]
    rows.append((rank, standing))
    rows += [(rank + 1 + i, s) for i, s in enumerate(below)]
    return rows


def _neighbour_reads(board, *, points: int, reached_at, user_id: int, reach: int) -> list:
    """Four keyset reads along the rank index: the nearest ``reach`` rows on each side of a
    user, split where the index order changes direction (ties vs. other scores)."""
    return [
        _tied_ahead(board, points=points, reached_at=reached_at, user_id=user_id).order_by(
            "-reached_at", "-user_id"
        ),
        board.filter(points__gt=points).order_by("points", "-reached_at", "-user_id"),
        board.filter(points=points, reached_at__gte=reached_at)
        .exclude(reached_at=reached_at, user_id__lte=user_id)
        .order_by("reached_at", "user_id"),
        board.filter(points__lt=points).order_by(*ORDER),
    ]


# Each watcher's neighbours in one statement on PostgreSQL: the four keyset reads of
# ``_neighbour_reads``, correlated to each watcher by LATERAL, so the statement and its plan are
# the same size for 1 watcher or 500 (a UNION of four reads per watcher took ~1 s to build and
# plan for 250 "near me" sockets).
_NEAR_TEMPLATE = """
SELECT {out} FROM leaderboard_standing AS w CROSS JOIN LATERAL (
    (SELECT {cols} FROM leaderboard_standing AS s
     WHERE s.scope = w.scope AND s.points = w.points AND s.reached_at <= w.reached_at
       AND NOT (s.reached_at = w.reached_at AND s.user_id >= w.user_id)
     ORDER BY s.reached_at DESC, s.user_id DESC LIMIT %s)
    UNION ALL
    (SELECT {cols} FROM leaderboard_standing AS s
     WHERE s.scope = w.scope AND s.points > w.points
     ORDER BY s.points, s.reached_at DESC, s.user_id DESC LIMIT %s)
    UNION ALL
    (SELECT {cols} FROM leaderboard_standing AS s
     WHERE s.scope = w.scope AND s.points = w.points AND s.reached_at >= w.reached_at
       AND NOT (s.reached_at = w.reached_at AND s.user_id <= w.user_id)
     ORDER BY s.reached_at, s.user_id LIMIT %s)
    UNION ALL
    (SELECT {cols} FROM leaderboard_standing AS s
     WHERE s.scope = w.scope AND s.points < w.points
     ORDER BY s.points DESC, s.reached_at, s.user_id LIMIT %s)
) AS n
WHERE w.scope = %s AND w.user_id = ANY(%s)
"""
_NEAR_LATERAL = _NEAR_TEMPLATE.format(out="n.id", cols="s.id")
# The same reads returning the rows' ranking columns, all in the rank index: index-only scans,
# no second visit by primary key (the live batch, ``payloads._near``).
_NEAR_LATERAL_ROWS = _NEAR_TEMPLATE.format(
    out="n.user_id, n.points, n.reached_at", cols="s.user_id, s.points, s.reached_at"
)


def _near_union(board, user_ids, reach: int) -> RawSQL:
    """The same reads as ``_NEAR_LATERAL``, four per watcher in one UNION ALL (SQLite)."""
    watchers = board.filter(user_id__in=user_ids).values_list("user_id", "points", "reached_at")
    reads = []
    for user_id, points, reached_at in watchers:
        reads += [
            qs[:reach]
            for qs in _neighbour_reads(
                board, points=points, reached_at=reached_at, user_id=user_id, reach=reach
            )
        ]
    parts, params = [], []
    for i, qs in enumerate(reads):
        sql, part_params = qs.values("pk").query.sql_with_params()
        # Wrapped, because SQLite allows ORDER BY/LIMIT only in a subquery of a compound.
        parts.append(f"SELECT * FROM ({sql}) AS near_{i}")  # noqa: S608 - ORM-built SQL
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts) or "SELECT NULL", params)  # noqa: S611 - ORM-built


def near_map(*, scope: str, ranks: dict[int, int], reach: int = 5) -> dict[int, list]:
    """{user_id: [(rank, standing), ...]}: each user's ``reach`` rows above and below, and theirs.

    ``ranks`` ({user_id: rank}) comes from ``rank_map``. One query on PostgreSQL for any number of
    users (their rows and every neighbour's: ``_NEAR_LATERAL``), two elsewhere (their
    standings, then a UNION ALL of the same keyset reads). The result holds each user's true
    neighbours, so in board order the rows next to a user in it are the rows next to them on the
    board.
    """
    if not ranks:
        return {}
    board = Standing.objects.filter(scope=scope)
    user_ids = list(ranks)
    if connection.vendor == "postgresql":
        near = RawSQL(_NEAR_LATERAL, [reach] * 4 + [scope, user_ids])  # noqa: S611
    else:
        near = _near_union(board, user_ids, reach)
    rows = sorted(
        board.filter(Q(pk__in=near) | Q(user_id__in=user_ids)).select_related("user"),
        key=lambda s: (-s.points, s.reached_at, s.user_id),
    )
    position = {s.user_id: i for i, s in enumerate(rows)}
    return rank_windows(rows, ranks, reach, position)


def rank_windows(rows: list, ranks: dict[int, int], reach: int, position: dict[int, int]) -> dict:
    """{user_id: [(rank, row), ...]}: each ranked user's ``reach`` rows above and below in
    ``rows`` (board order; ``position`` gives each user's index in it), ranked from theirs."""
    result = {}
    for user_id, rank in ranks.items():
        if user_id not in position:
            continue
        i = position[user_id]
        above, below = rows[max(0, i - reach) : i], rows[i + 1 : i + 1 + reach]
        result[user_id] = (
            [(rank - len(above) + k, row) for k, row in enumerate(above)]
            + [(rank, rows[i])]
            + [(rank + 1 + k, row) for k, row in enumerate(below)]
        )
    return result


def _standings_where(scopes, prefixes, running_weeks: bool) -> tuple[str, list]:
    """The condition on a person's standings ``s`` naming the boards the dashboard shows."""
    quote = connection.ops.quote_name
    wanted = [s for s in scopes if s]
    where = []
    params: list = []
    if wanted:
        where.append(f"s.scope IN ({', '.join(['%s'] * len(wanted))})")
        params += wanted
    for prefix in prefixes:
        if "%" in prefix or "_" in prefix:
            raise ValueError(f"A prefix with a LIKE wildcard: {prefix!r}")
        where.append("s.scope LIKE %s")
        params.append(prefix + "%")
    if running_weeks:
        from challenges.models import ChallengeWeek

        weeks = quote(ChallengeWeek._meta.db_table)
        where.append(
            f"s.scope IN (SELECT 'week-' || CAST(w.id AS TEXT) FROM {weeks} w"  # noqa: S608
            " WHERE w.starts_at <= %s AND w.ends_at > %s)"
        )
        now = timezone.now()
        params += [now, now]
    return " OR ".join(where) or "FALSE", params


def _rank_sql() -> str:
    """A standing ``s``'s rank on its board, with ``leaderboard.ranks.standings_of``'s
    arithmetic (the score buckets above, then the ties reached earlier)."""
    quote = connection.ops.quote_name
    standings = quote(Standing._meta.db_table)
    buckets = quote(ScoreBucket._meta.db_table)
    return (
        f"COALESCE((SELECT SUM(b.count) FROM {buckets} b"  # noqa: S608
        f" WHERE b.scope = s.scope AND b.points > s.points), 0)"
        f" + (SELECT COUNT(*) FROM {standings} t WHERE t.scope = s.scope AND t.points = s.points"
        f" AND t.reached_at <= s.reached_at"
        f" AND NOT (t.reached_at = s.reached_at AND t.user_id >= s.user_id)) + 1"
    )


def _with_recent(
    user_id: int, standing_columns: str, where: str, params: list, recent: int
) -> tuple[list, list]:
    """Run ``SELECT 0, s.scope, s.points, <standing_columns: two>`` over the person's standings
    matching ``where``, with their ``recent`` newest ledger rows, in one statement: the
    standing rows as they came, and the ledger rows as (id, amount, kind, reason, created_at),
    newest first. The last column is converted as a ``created_at`` (a timestamp)."""
    from leaderboard.models import PointsAward

    quote = connection.ops.quote_name
    standings = quote(Standing._meta.db_table)
    ledger = quote(PointsAward._meta.db_table)
    sql = (
        f"SELECT 0, s.scope, s.points, {standing_columns}"  # noqa: S608 - names from the models
        f" FROM {standings} s WHERE s.user_id = %s AND ({where})"
        f" UNION ALL SELECT * FROM (SELECT p.id, p.kind, p.amount, CAST(NULL AS BIGINT),"
        f" p.reason, p.created_at"
        f" FROM {ledger} p WHERE p.user_id = %s ORDER BY p.created_at DESC, p.id DESC LIMIT %s) r"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, *params, user_id, recent])
        rows = cursor.fetchall()
    field = PointsAward._meta.get_field("created_at")
    expression = field.get_col(PointsAward._meta.db_table)
    converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
    own, awards = [], []
    for pk, name, points, rank, reason, created_at in rows:
        for convert in converters:
            created_at = convert(created_at, expression, connection)
        if pk == 0:
            own.append((name, points, rank, created_at))
        else:
            awards.append((pk, points, name, reason, created_at))
    return own, awards


def standings_and_recent(
    *, user_id: int, scopes, prefixes=(), running_weeks: bool = False, recent: int = 8
) -> tuple[dict[str, tuple[int, int]], list[tuple]]:
    """The dashboard's figures in one statement written out (building the two with the ORM
    cost more than running them): ``({scope: (points, rank)}, rows)`` where the scopes are
    those of ``scopes`` the person is on and every board whose name starts with one of
    ``prefixes`` (e.g. ``leaderboard.ranks.SKILL_PREFIX``) and, with ``running_weeks``, of
    every challenge week running now, with
    ``leaderboard.ranks.standings_of``'s arithmetic, and ``rows`` the person's ``recent``
    newest ledger rows as (id, amount, kind, reason, created_at), newest first."""
    where, params = _standings_where(scopes, prefixes, running_weeks)
    own, awards = _with_recent(user_id, f"{_rank_sql()}, NULL, NULL", where, params, recent)
    return {name: (points, int(rank)) for name, points, rank, _ in own}, awards


def own_standings_and_recent(
    *, user_id: int, scopes, prefixes=(), running_weeks: bool = False, recent: int = 8
) -> tuple[dict[str, tuple[int, object]], list[tuple]]:
    """``standings_and_recent`` without the ranks (the person's own rows only: a few index
    reads): ``({scope: (points, reached_at)}, rows)``. ``ranks_of`` counts the ranks."""
    where, params = _standings_where(scopes, prefixes, running_weeks)
    own, awards = _with_recent(
        user_id, "CAST(NULL AS BIGINT), NULL, s.reached_at", where, params, recent
    )
    return {name: (points, reached_at) for name, points, _, reached_at in own}, awards


def ranks_of(*, user_id: int, scopes) -> dict[str, tuple[int, object, int]]:
    """The person's rank on each of ``scopes`` they are on, as ``standings_and_recent`` counts
    it: ``{scope: (points, reached_at, rank)}`` (the points and time the rank is for)."""
    where, params = _standings_where(scopes, (), False)
    own, _ = _with_recent(user_id, f"{_rank_sql()}, NULL, s.reached_at", where, params, 0)
    return {name: (points, reached_at, int(rank)) for name, points, rank, reached_at in own}


# The standings' generation: a token replaced after every transaction that changes the shared
# aggregates ranks are counted from (a fold that folded something, a rebuild), so a rank kept
# under it is the rank now. A person's own rows change at their award's commit, before the
# fold: a kept rank also carries the (points, reached_at) it was counted for.
STANDINGS_GENERATION_KEY = "standings:generation"


def _renew(key: str) -> None:
    """A new generation under ``key`` at once and again after the current transaction commits
    (a reader that read before the commit kept what it read under a generation nobody reads any
    more)."""

    def renew() -> None:
        cache.set(key, uuid.uuid4().hex[:12], None)

    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


def standings_moved() -> None:
    """The shared aggregates change in the current transaction: a new standings generation."""
    _renew(STANDINGS_GENERATION_KEY)


def standings_generation(found: dict | None = None) -> str:
    """The current generation (from ``found``, a ``get_many`` that read
    ``STANDINGS_GENERATION_KEY``, when it holds one)."""
    generation = (found or {}).get(STANDINGS_GENERATION_KEY) or cache.get(STANDINGS_GENERATION_KEY)
    if generation is None:
        cache.add(STANDINGS_GENERATION_KEY, uuid.uuid4().hex[:12], None)
        generation = cache.get(STANDINGS_GENERATION_KEY) or "down"
    return generation


# A person's ledger token: replaced after every transaction that changes their ledger rows or
# standings commits (``points_award``, in the awarding thread's on-commit, so their very next
# request sees it), so what was read of their own rows under a token is what the database holds
# while the token stands. A reader reads the token before the database and keeps what it read
# with the token it read: an award committing in between replaces the token, and the next read
# misses. No token (never awarded, expired, the cache down) is a state of its own; a token
# outlives anything kept under it (``LEDGER_TOKEN_TIMEOUT`` is longer than those entries').
# What rewrites everyone's standings at once (a rebuild) replaces ``LEDGER_GENERATION_KEY``,
# which readers check with the token.
LEDGER_TOKEN_TIMEOUT = 24 * 3600
LEDGER_GENERATION_KEY = "ledger:generation"


def ledger_token_key(user_id) -> str:
    """Where the person's ledger token is kept."""
    return f"ledger:person:{user_id}"


def ledger_changed(user_id) -> None:
    """The person's ledger or standings changed (call after the commit): a new token."""
    cache.set(ledger_token_key(user_id), uuid.uuid4().hex[:12], LEDGER_TOKEN_TIMEOUT)


def ledger_rewritten() -> None:
    """Everyone's standings are rewritten in the current transaction (a rebuild): a new ledger
    generation."""
    _renew(LEDGER_GENERATION_KEY)

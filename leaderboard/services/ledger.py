"""The one writer of the points ledger: awards (once per source, capped, standings moved in the
same transaction, the fold, announcements and badges after commit: ``settle``), revocations and
manual awards."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Membership, User
from config.errors import ApplicationError as LeaderboardError
from leaderboard import scopes
from leaderboard.aggregates import FOLD_LOCK, fold_batch, prepared_cursor, standings_apply
from leaderboard.models import AggregateDelta, BadgeCheck, PointsAward, ScopeSettings, Standing
from leaderboard.selectors.ranks import ledger_changed
from leaderboard.services import settle


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


def _month_bounds(at: datetime) -> tuple[datetime, datetime]:
    """The month scope's range for an award at ``at`` (as ``scopes.award_filter`` has it)."""
    local = timezone.localtime(at)
    year, month = local.year, local.month
    start = timezone.make_aware(datetime(year, month, 1))
    end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


_lock_sql: dict[bool, str] = {}


def _lock_and_team(user_id: int) -> tuple[bool, int | None]:
    """Lock the person's user row; their current team (one statement). False: no such user."""
    lock = connection.features.has_select_for_update
    sql = _lock_sql.get(lock)
    if sql is None:
        membership = connection.ops.quote_name(Membership._meta.db_table)
        users = connection.ops.quote_name(User._meta.db_table)
        sql = _lock_sql[lock] = (
            f"SELECT (SELECT m.team_id FROM {membership} m "  # noqa: S608
            f"WHERE m.user_id = u.id AND m.ended_at IS NULL LIMIT 1) "
            f"FROM {users} u WHERE u.id = %s{' FOR UPDATE' if lock else ''}"
        )
    with prepared_cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    return row is not None, (row[0] if row else None)


def _existing_and_used(*, user_id: int, source_key: str, kind: str, at: datetime):
    """The award this source already made, if any, and today's points of ``kind`` so far."""
    start = _local_day_start(at)
    table = connection.ops.quote_name(PointsAward._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT id FROM {table} WHERE user_id = %s AND source_key = %s), "  # noqa: S608
            f"(SELECT COALESCE(SUM(amount), 0) FROM {table} WHERE user_id = %s AND kind = %s "
            "AND amount > 0 AND created_at >= %s AND created_at < %s)",
            [user_id, source_key, user_id, kind, start, start + timedelta(days=1)],
        )
        return cursor.fetchone()


_AWARD_SQL = """
WITH live AS (
    -- The scopes the award counts in, less challenge weeks frozen before it.
    SELECT s.scope, ss.frozen_at
    FROM unnest(%(scopes)s::varchar[]) AS s(scope)
    LEFT JOIN {settings} ss ON ss.scope = s.scope AND ss.frozen_at IS NOT NULL
    WHERE ss.frozen_at IS NULL OR %(at)s::timestamptz <= ss.frozen_at
), award AS (
    INSERT INTO {award} (user_id, team_id, amount, kind, source_key, skill, week_id, reason,
                         awarded_by_id, created_at)
    VALUES (%(user)s, %(team)s::bigint, %(amount)s, %(kind)s, %(key)s, %(skill)s,
            %(week)s::integer, %(reason)s, %(by)s::bigint, %(at)s::timestamptz)
    ON CONFLICT (user_id, source_key) DO NOTHING
    RETURNING id
), before AS (
    -- This statement's snapshot is newer than the lock on the user row, so these are the
    -- person's current standings (only their own awards write them, and those wait).
    SELECT st.scope, st.points FROM {standing} st
    WHERE st.user_id = %(user)s AND st.scope IN (SELECT scope FROM live)
      AND EXISTS (SELECT 1 FROM award)
), moved AS (
    INSERT INTO {standing} AS st (scope, user_id, points, reached_at)
    SELECT scope, %(user)s, %(amount)s, %(at)s::timestamptz FROM live
    WHERE EXISTS (SELECT 1 FROM award) ORDER BY scope
    ON CONFLICT (scope, user_id) DO UPDATE SET
        points = st.points + excluded.points,
        reached_at = GREATEST(st.reached_at, excluded.reached_at)
    RETURNING scope, points
), prior AS (
    -- The person's earlier awards for the team, read once for all the scopes: in which scopes
    -- they already count for it (this award is not visible to the statement's own reads).
    SELECT bool_or(TRUE) AS in_all,
           bool_or(a.created_at >= %(month_start)s::timestamptz
                   AND a.created_at < %(month_end)s::timestamptz) AS in_month,
           bool_or(a.week_id = %(week)s::integer AND a.created_at <= COALESCE(
               (SELECT frozen_at FROM live WHERE scope = %(week_scope)s), 'infinity')) AS in_week,
           bool_or(a.skill = %(skill)s) AS in_skill
    FROM {award} a
    WHERE a.user_id = %(user)s AND a.team_id = %(team)s::bigint AND EXISTS (SELECT 1 FROM award)
), deltas AS (
    INSERT INTO {delta} (kind, scope, key, count, points, members, reached_at)
    SELECT {bucket}, scope, points, -1, 0, 0, NULL::timestamptz FROM before
    UNION ALL
    SELECT {bucket}, scope, points, 1, 0, 0, NULL FROM moved
    UNION ALL
    -- The team's rows; a member is new in a scope with their first award there for the team.
    SELECT {team}, live.scope, %(team)s::bigint, 0, %(amount)s,
           (NOT COALESCE(CASE live.scope
               WHEN 'all' THEN prior.in_all
               WHEN %(month)s THEN prior.in_month
               WHEN %(week_scope)s THEN prior.in_week
               WHEN %(skill_scope)s THEN prior.in_skill
           END, FALSE))::integer,
           %(at)s::timestamptz
    FROM live CROSS JOIN prior
    WHERE %(team)s::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM award)
), checked AS (
    INSERT INTO {check} (user_id) SELECT %(user)s FROM award
)
SELECT id, {fold} FROM award
"""
# The statement's text for (inline fold?): formatted once, so it is prepared once per connection.
_award_sql: dict[bool, str] = {}


def _award_postgresql(
    *, user: User, team_id, at: datetime, fields: dict, moved: list[str], fold: bool
) -> tuple[int, bool] | None:
    """Write the award, the person's standings, the aggregates' deltas and a badge check in one
    statement, and (``fold``) take the fold lock if it is free. Returns the award's id and
    whether the lock is held, or None when this source already awarded (ON CONFLICT: nothing
    written)."""
    sql = _award_sql.get(fold)
    if sql is None:
        quote = connection.ops.quote_name
        sql = _award_sql[fold] = _AWARD_SQL.format(
            settings=quote(ScopeSettings._meta.db_table),
            award=quote(PointsAward._meta.db_table),
            standing=quote(Standing._meta.db_table),
            delta=quote(AggregateDelta._meta.db_table),
            check=quote(BadgeCheck._meta.db_table),
            bucket=AggregateDelta.BUCKET,
            team=AggregateDelta.TEAM,
            fold="pg_try_advisory_xact_lock(%(fold_lock)s)" if fold else "FALSE",
        )
    week_id, skill = fields["week_id"], fields["skill"]
    month_start, month_end = _month_bounds(at)
    params = {
        "scopes": moved,
        "user": user.pk,
        "team": team_id,
        "amount": fields["amount"],
        "kind": fields["kind"],
        "key": fields["source_key"],
        "skill": skill,
        "week": week_id,
        "reason": fields["reason"],
        "by": fields["awarded_by"].pk if fields["awarded_by"] else None,
        "at": at,
        "month": scopes.month_key(at),
        "month_start": month_start,
        "month_end": month_end,
        "week_scope": f"week-{week_id}" if week_id else None,
        "skill_scope": f"skill-{skill}" if skill else None,
    }
    if fold:
        params["fold_lock"] = FOLD_LOCK
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _award_portable(*, user: User, team_id, at: datetime, fields: dict) -> PointsAward | None:
    """The same writes through the ORM (SQLite: one writer at a time). None when this source
    already awarded."""
    if PointsAward.objects.filter(user=user, source_key=fields["source_key"]).exists():
        return None
    try:
        award = PointsAward.objects.create(user=user, team_id=team_id, created_at=at, **fields)
    except IntegrityError:  # SQLite aborts only the statement; the transaction goes on
        return None
    standings_apply(award)
    BadgeCheck.objects.create(user_id=user.pk)
    return award


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

    On PostgreSQL the transaction is two statements: lock the user row (with their current
    team), write everything in one statement (``_AWARD_SQL``); a capped kind adds one (the
    duplicate check and today's total). The fold of the shared aggregates, the announcement and
    the badges follow the commit (``leaderboard.services.settle``): in a process thread that
    batches them in production, inline in tests, where the award also folds in its own
    transaction when no one else is folding (a third statement).
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
    postgresql = connection.vendor == "postgresql"
    inline = not settle.background()
    moved = scopes.scopes_for(created_at=at, week_id=week_id, skill=skill)
    with transaction.atomic():
        # Lock the user's row: their awards are serialised, so the duplicate check, the daily
        # cap and their standing rows cannot race with a concurrent award for the same user.
        # Every later statement's snapshot is newer than the lock.
        found, team_id = _lock_and_team(user.pk)
        if not found:
            raise User.DoesNotExist(f"No user {user.pk}.")
        capped = amount
        if settings.LEADERBOARD_DAILY_CAPS.get(kind) is not None and amount > 0:
            existing_id, used = _existing_and_used(
                user_id=user.pk, source_key=source_key, kind=kind, at=at
            )
            if existing_id is not None:
                return PointsAward.objects.get(pk=existing_id)
            capped = max(0, min(amount, settings.LEADERBOARD_DAILY_CAPS[kind] - used))
            if capped == 0:
                return None
        if capped != amount:
            reason = f"{reason} (cut from {amount} to the daily cap)".strip()
        fields = {
            "amount": capped,
            "kind": kind,
            "source_key": source_key,
            "skill": skill,
            "week_id": week_id,
            "reason": reason,
            "awarded_by": awarded_by,
        }
        if postgresql:
            written = _award_postgresql(
                user=user, team_id=team_id, at=at, fields=fields, moved=moved, fold=inline
            )
            if written is None:
                return PointsAward.objects.get(user=user, source_key=source_key)
            award_id, locked = written
            award = PointsAward(pk=award_id, user=user, team_id=team_id, created_at=at, **fields)
            award._state.adding = False
            award._state.db = connection.alias
        else:
            award = _award_portable(user=user, team_id=team_id, at=at, fields=fields)
            if award is None:
                return PointsAward.objects.get(user=user, source_key=source_key)
            locked = False
        if inline and (locked or not postgresql):
            # Fold the shared aggregates now when no other award is folding (then the boards
            # are exact at commit); otherwise the folder, or the follow-up, does it.
            fold_batch(locked=locked)
        # The person's ledger token (``leaderboard.selectors.ranks``), replaced in this thread
        # right after the commit, before the follow-up: their next request (the redirect after
        # a lesson) reads their rows afresh. One cache write, no statement.
        transaction.on_commit(partial(ledger_changed, user.pk))
        transaction.on_commit(partial(settle.after_commit, moved=moved, inline=inline))
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

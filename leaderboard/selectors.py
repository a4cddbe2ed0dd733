"""Reads of standings, boards and recognition.

A board is a top-N plus the viewer's own rank: a few indexed queries whatever the ledger's size.
Privacy: users who opted out show as "Anonymous mentor" to everyone but themselves and L&D.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from leaderboard import scopes, team_boards
from leaderboard.models import (
    BadgeAward,
    Kudos,
    Level,
    PointsAward,
    ScopeSettings,
    ScoreBucket,
    Standing,
)

# Moved to their own modules; still importable from here (services imports the cache key).
from leaderboard.scope_list import SCOPES_CACHE_KEY, available_scopes  # noqa: F401
from leaderboard.spotlight import top_mentors  # noqa: F401

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

    One query: the sum of the score buckets above the viewer plus the ties reached earlier.
    """
    outer = {"scope": OuterRef("scope")}
    higher = ScoreBucket.objects.filter(**outer, points__gt=OuterRef("points"))
    tied = _tied_ahead(
        Standing.objects.filter(**outer),
        points=OuterRef("points"),
        reached_at=OuterRef("reached_at"),
        user_id=OuterRef("user_id"),
    )
    standing = (
        Standing.objects.filter(scope=scope, user=user)
        .select_related("user")
        .annotate(higher=_count(higher, "count", Sum), tied=_count(tied))
        .first()
    )
    if standing is None:
        return None, None
    return standing, standing.higher + standing.tied + 1


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


def near_map(*, scope: str, ranks: dict[int, int], reach: int = 5) -> dict[int, list]:
    """{user_id: [(rank, standing), ...]}: each user's ``reach`` rows above and below, and theirs.

    ``ranks`` ({user_id: rank}) comes from ``rank_map``. Two queries for any number of users:
    their standings, then one UNION ALL of small keyset reads (what ``board_near`` does for one
    viewer) that fetches every neighbour at once. The union holds each user's true neighbours,
    so in board order the rows next to a user in it are the rows next to them on the board.
    """
    if not ranks:
        return {}
    board = Standing.objects.filter(scope=scope)
    watchers = board.filter(user_id__in=list(ranks)).values_list("user_id", "points", "reached_at")
    reads = [board.filter(user_id__in=list(ranks))]
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
    union = RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611 - ORM-built, bound params
    rows = sorted(
        Standing.objects.filter(pk__in=union).select_related("user"),
        key=lambda s: (-s.points, s.reached_at, s.user_id),
    )
    position = {s.user_id: i for i, s in enumerate(rows)}
    result = {}
    for user_id, rank in ranks.items():
        if user_id not in position:
            continue
        i = position[user_id]
        above, below = rows[max(0, i - reach) : i], rows[i + 1 : i + 1 + reach]
        result[user_id] = (
            [(rank - len(above) + k, s) for k, s in enumerate(above)]
            + [(rank, rows[i])]
            + [(rank + 1 + k, s) for k, s in enumerate(below)]
        )
    return result


def _row_key(user_id: int) -> str:
    # A stable key per person that does not reveal the id of someone who opted out.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:board:{user_id}".encode()).hexdigest()
    return digest[:12]


def standing_row(
    *, rank: int, user, points: int, viewer_id: int | None, viewer_is_ld: bool
) -> dict:
    """A board row as a viewer may see it."""
    hidden = not user.show_on_leaderboards
    me = user.pk == viewer_id
    visible = me or viewer_is_ld or not hidden
    return {
        "rank": rank,
        "key": _row_key(user.pk),
        "name": user.public_name if visible else ANONYMOUS,
        "hidden": hidden,
        "points": points,
        "me": me,
        "url": reverse("leaderboard:person", args=[user.pk]) if visible else "",
    }


def scope_config(scope: str) -> ScopeSettings | None:
    return ScopeSettings.objects.filter(scope=scope).first()


def is_frozen(config: ScopeSettings | None) -> bool:
    """Whether the public board of a scope shows frozen standings now (a freeze may lie ahead)."""
    return bool(config and config.frozen_at and config.frozen_at <= timezone.now())


def live_standings(*, scope: str) -> list[dict]:
    """A frozen scope's live standings, summed from the ledger, in board order (for L&D).

    Frozen boards are challenge weeks, whose ledger is bounded by the week's activity, so one
    grouped query is cheap; the public board keeps reading the frozen aggregate rows.
    """
    rows = (
        PointsAward.objects.filter(scopes.award_filter(scope))
        .values("user")
        .annotate(points=Sum("amount"), reached=Max("created_at"))
        .order_by("-points", "reached", "user")
    )
    return [
        {"rank": i, "user_id": r["user"], "points": r["points"]}
        for i, r in enumerate(rows, start=1)
    ]


def live_team_board(*, scope: str, ranking: str = ScopeSettings.TOTAL) -> list[dict]:
    """``team_board`` summed from the ledger: a frozen week's live team standings (for L&D)."""
    from accounts.models import Team

    rows = list(
        PointsAward.objects.filter(scopes.award_filter(scope), team__isnull=False)
        .values("team")
        .annotate(
            points=Sum("amount"), members=Count("user", distinct=True), reached=Max("created_at")
        )
        .order_by()
    )
    names = dict(Team.objects.filter(pk__in=[r["team"] for r in rows]).values_list("pk", "name"))
    for r in rows:
        r["average"] = round(r["points"] / r["members"], 1) if r["members"] else 0.0
    if ranking == ScopeSettings.AVERAGE:
        rows.sort(key=lambda r: (-r["average"], -r["points"], r["reached"], r["team"]))
    else:
        rows.sort(key=lambda r: (-r["points"], r["reached"], r["team"]))
    return [
        {
            "rank": i,
            "key": f"t{r['team']}",
            "name": names.get(r["team"], ""),
            "points": r["points"],
            "members": r["members"],
            "average": r["average"],
        }
        for i, r in enumerate(rows, start=1)
    ]


def team_board(
    *, scope: str, ranking: str = ScopeSettings.TOTAL, limit: int | None = None
) -> list[dict]:
    """Teams' totals and per-active-member averages, ranked by ``ranking``: the first ``limit``
    (every team when None), in the order of ``team_boards`` (the page, API and search)."""
    return team_boards.team_top(scope=scope, ranking=ranking, limit=limit)


def board_payload(*, scope: str, user_ids, limit: int | None = None, live: bool = False) -> dict:
    """A board's top N, every team, and the ranks of ``user_ids`` (five queries), which a page
    cuts per viewer with ``payload_for_viewer``. ``live`` asks for a frozen scope's live
    standings instead (L&D only; see ``live_board_payload``). The live socket sends smaller
    frames (``leaderboard.payloads``).
    """
    limit = limit or settings.LEADERBOARD_BOARD_SIZE
    config = scope_config(scope)
    if live and is_frozen(config):
        return live_board_payload(scope=scope, config=config, user_ids=user_ids, limit=limit)
    ranking = config.team_ranking if config else ScopeSettings.TOTAL
    top = [
        {
            "rank": i,
            "uid": s.user_id,
            "name": s.user.public_name,
            "hidden": not s.user.show_on_leaderboards,
            "points": s.points,
        }
        for i, s in enumerate(board_top(scope=scope, limit=limit), start=1)
    ]
    ranks = rank_map(scope=scope, user_ids=user_ids)
    return {
        "scope": scope,
        "label": scopes.label(scope, config.title if config else ""),
        "generated_at": timezone.now().isoformat(),
        "frozen": is_frozen(config),
        "live": False,
        "ranking": ranking,
        "top": top,
        "teams": team_board(scope=scope, ranking=ranking),
        "ranks": {str(uid): list(value) for uid, value in ranks.items()},
    }


def live_board_payload(*, scope: str, config, user_ids, limit: int) -> dict:
    """A frozen scope's broadcast payload with live standings from the ledger (for L&D)."""
    from accounts.models import User

    ranking = config.team_ranking if config else ScopeSettings.TOTAL
    standings = live_standings(scope=scope)
    users = User.objects.in_bulk([r["user_id"] for r in standings[:limit]])
    wanted = {int(uid) for uid in user_ids}
    return {
        "scope": scope,
        "label": scopes.label(scope, config.title if config else ""),
        "generated_at": timezone.now().isoformat(),
        "frozen": True,
        "live": True,
        "ranking": ranking,
        "top": [
            {
                "rank": r["rank"],
                "uid": r["user_id"],
                "name": users[r["user_id"]].public_name,
                "hidden": not users[r["user_id"]].show_on_leaderboards,
                "points": r["points"],
            }
            for r in standings[:limit]
        ],
        "teams": live_team_board(scope=scope, ranking=ranking),
        "ranks": {
            str(r["user_id"]): [r["rank"], r["points"]] for r in standings if r["user_id"] in wanted
        },
    }


def payload_for_viewer(payload: dict, *, viewer_id: int, viewer_is_ld: bool) -> dict:
    """One viewer's cut of a broadcast: names they may see, their own rank and "near me" rows."""

    def cut(row: dict) -> dict:
        me = row["uid"] == viewer_id
        visible = me or viewer_is_ld or not row["hidden"]
        return {
            "rank": row["rank"],
            "key": _row_key(row["uid"]),
            "name": row["name"] if visible else ANONYMOUS,
            "points": row["points"],
            "me": me,
            "url": reverse("leaderboard:person", args=[row["uid"]]) if visible else "",
        }

    top = [cut(row) for row in payload["top"]]
    near = payload.get("near", {}).get(str(viewer_id))
    mine = payload["ranks"].get(str(viewer_id))
    return {
        "type": "board",
        "scope": payload["scope"],
        "label": payload["label"],
        "generated_at": payload["generated_at"],
        "frozen": payload["frozen"],
        "live": payload.get("live", False),
        "ranking": payload["ranking"],
        "top": top,
        "teams": payload["teams"],
        "me": {"rank": mine[0], "points": mine[1]} if mine else None,
        "near": [cut(row) for row in near] if near is not None else None,
    }


LEVELS_CACHE_KEY = "leaderboard:levels"


def level_progress(points: int) -> dict:
    """The level for ``points``, the next one, and the percentage of the way to it."""
    levels = cache.get(LEVELS_CACHE_KEY)
    if levels is None:  # the same for everyone; a level L&D adds shows within a minute
        levels = list(Level.objects.order_by("xp_threshold"))
        cache.set(LEVELS_CACHE_KEY, levels, 60)
    current = None
    following = None
    for level in levels:
        if level.xp_threshold <= points:
            current = level
        elif following is None:
            following = level
    if following is None:
        percent = 100
    else:
        floor = current.xp_threshold if current else 0
        percent = int(100 * (points - floor) / max(1, following.xp_threshold - floor))
    return {
        "level": current,
        "next": following,
        "points": points,
        "percent": max(0, min(100, percent)),
        "to_go": following.xp_threshold - points if following else 0,
    }


def person_profile(*, person, viewer) -> dict:
    """What the recognition page shows about ``person``."""
    points = (
        Standing.objects.filter(scope=scopes.ALL, user=person)
        .values_list("points", flat=True)
        .first()
        or 0
    )
    return {
        "progress": level_progress(points),
        "badges": list(
            BadgeAward.objects.filter(user=person).select_related("badge", "badge__image")
        ),
        "kudos": list(
            Kudos.objects.filter(recipient=person)
            .select_related("giver")
            .order_by("-created_at")[:20]
        ),
        "recent": list(PointsAward.objects.filter(user=person).order_by("-created_at", "-pk")[:10])
        if viewer.pk == person.pk
        else [],
    }


def profile_visible(*, person, viewer, viewer_is_ld: bool) -> bool:
    """Someone who opted out of public boards has no public profile (L&D still see it)."""
    return person.is_active and (
        person.show_on_leaderboards or person.pk == viewer.pk or viewer_is_ld
    )


def kudos_left(*, user) -> int:
    from leaderboard.services import kudos_week_start

    given = Kudos.objects.filter(giver=user, created_at__gte=kudos_week_start()).count()
    return max(0, settings.LEADERBOARD_KUDOS_WEEKLY_BUDGET - given)

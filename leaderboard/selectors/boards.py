"""Boards: a scope's top N, its team board, and the payload a viewer's board is drawn from."""

import functools
import hashlib

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from leaderboard import scopes, team_boards
from leaderboard.models import (
    PointsAward,
    ScopeSettings,
)
from leaderboard.selectors.ranks import (
    ANONYMOUS,
    board_top,
    rank_map,
)


def person_url(user_id: int) -> str:
    """``reverse("leaderboard:person", args=[user_id])`` without resolving the pattern for every
    row (a live board batch builds thousands of rows)."""
    return _person_url_format(get_script_prefix(), get_urlconf()).format(user_id)


@functools.lru_cache(maxsize=16)
def _person_url_format(prefix: str, urlconf) -> str:
    marker = "987654321"
    return reverse("leaderboard:person", args=[int(marker)]).replace(marker, "{}")


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
        "url": person_url(user.pk) if visible else "",
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
            "url": person_url(row["uid"]) if visible else "",
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

"""What the live board socket sends: one shared head per broadcast, one small tail per viewer.

A frame is a JSON object in two parts, joined as text (``frame``) so the head is encoded once:

- the **head**, the same for every viewer of an audience (colleagues, or L&D who also see names
  hidden from colleagues and, on a frozen week, the live standings): the top
  ``LEADERBOARD_LIVE_ROWS`` people and teams, the scope's version and ``sent_at``;
- the **tail**, this viewer's own row (``me``), "near me" rows (``near``, only on a ``?view=near``
  socket) and own team (``my_team``), cut for this viewer.

``heads`` reads what the broadcaster sends (three queries; seven on a frozen week); ``tails``
reads the tails of any number of one worker's viewers in at most seven. Teams are ordered and
ranked by ``team_boards``, as on the team board page. The frame format is
described in ``docs/architecture.md``.
"""

import functools
import json
import time
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Q
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone

from accounts.models import User
from leaderboard import broadcast, scopes, selectors, team_boards
from leaderboard.models import ScopeSettings, Standing
from leaderboard.selectors import ranks as rank_reads
from leaderboard.selectors.boards import _person_url_format

PUBLIC, LD = "public", "ld"
MAX_LIVE_ROWS = 50


@dataclass(frozen=True)
class Watcher:
    """One board socket: whose, on which scope, and what it shows."""

    channel_name: str
    scope: str
    user_id: int
    near: bool = False
    ld: bool = False
    team_id: int | None = None

    @property
    def audience(self) -> str:
        return LD if self.ld else PUBLIC


def live_rows() -> int:
    """N, the rows of people and of teams a frame carries (1..50)."""
    return max(1, min(MAX_LIVE_ROWS, int(settings.LEADERBOARD_LIVE_ROWS)))


def encode(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def frame(head: str, tail: str) -> str:
    """``head`` and ``tail`` (two encoded JSON objects with distinct keys) as one object."""
    return f"{head[:-1]},{tail[1:]}"


def viewer_team(user) -> int | None:
    team = user.current_team
    return team.pk if team else None


def _urls() -> str:
    """The format of a person's page URL in this request's URL space (``{}`` for the id)."""
    return _person_url_format(get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=65536)
def _row_key(secret: str, user_id: int) -> str:
    # selectors._row_key (a SHA-256 per row), remembered: a batch repeats the same people.
    return selectors._row_key(user_id)


def _person(
    rank: int, user, points: int, *, viewer_id=None, ld=False, mark=False, urls=None
) -> dict:
    """A person's row as a viewer may see it (``viewer_id`` None: a shared head's row).
    ``urls``: ``_urls()`` when the caller builds many rows."""
    hidden = not user.show_on_leaderboards
    visible = ld or not hidden or user.pk == viewer_id
    row = {
        "rank": rank,
        "key": _row_key(settings.SECRET_KEY, user.pk),
        "name": user.public_name if visible else selectors.ANONYMOUS,
        "points": points,
        "url": (urls or _urls()).format(user.pk) if visible else "",
    }
    if ld and hidden:
        row["hidden"] = True
    if mark:
        row["me"] = user.pk == viewer_id
    return row


class ScopeRead:
    """One read of what every viewer of a scope shares; each part is read once, when first used."""

    def __init__(self, scope: str):
        self.scope = scope
        self.config = selectors.scope_config(scope)
        self.frozen = selectors.is_frozen(self.config)
        self.ranking = self.config.team_ranking if self.config else ScopeSettings.TOTAL
        self.generated_at = timezone.now().isoformat()

    @cached_property
    def top(self) -> list[Standing]:
        return selectors.board_top(scope=self.scope, limit=live_rows())

    @cached_property
    def teams(self) -> list[dict]:
        return team_boards.team_top(scope=self.scope, ranking=self.ranking, limit=live_rows())

    def team_rows(self, team_ids) -> dict[str, dict]:
        """{key: row} of the named teams, ranked as the team board page ranks them."""
        rows = team_boards.team_rows(scope=self.scope, ranking=self.ranking, team_ids=team_ids)
        return {row["key"]: row for row in rows}

    @cached_property
    def live(self) -> list[dict]:
        """A frozen week's live standings (L&D), from the ledger."""
        return selectors.live_standings(scope=self.scope)

    @cached_property
    def live_teams(self) -> list[dict]:
        return selectors.live_team_board(scope=self.scope, ranking=self.ranking)

    def live_users(self, user_ids) -> dict:
        return User.objects.in_bulk(list(user_ids))

    def head(self, audience: str, *, version: int) -> dict:
        """The shared part of a frame for ``audience`` (colleagues, or L&D)."""
        ld = audience == LD
        live = ld and self.frozen
        if live:
            standings = self.live[: live_rows()]
            users = self.live_users(r["user_id"] for r in standings)
            top = [_person(r["rank"], users[r["user_id"]], r["points"], ld=True) for r in standings]
            teams = self.live_teams[: live_rows()]
        else:
            top = [_person(i, s.user, s.points, ld=ld) for i, s in enumerate(self.top, start=1)]
            teams = self.teams
        return {
            "type": "board",
            "version": version,
            "sent_at": None,
            "generated_at": self.generated_at,
            "scope": self.scope,
            "label": scopes.label(self.scope, self.config.title if self.config else ""),
            "frozen": self.frozen,
            "live": live,
            "ranking": self.ranking,
            "top": top,
            "teams": teams,
        }


def encode_head(head: dict) -> str:
    """The head as sent: stamped with the server time (Unix seconds) just before encoding."""
    return encode(head | {"sent_at": round(time.time(), 3)})


def heads(scope: str) -> tuple[int, dict[str, str]]:
    """What one broadcast sends: the scope's next version and each audience's encoded head.

    Clears the pending mark first, so an award committing from now on starts the next window.
    """
    broadcast.clear_pending(scope)
    version = broadcast.next_version(scope)
    read = ScopeRead(scope)
    return version, {
        audience: encode_head(read.head(audience, version=version)) for audience in (PUBLIC, LD)
    }


# What a row needs of a person, read as plain values (not model instances): a batch of 500
# viewers, half on "near me", has ~3,000 rows, and building a Standing and a User for each was
# most of its time.
_PERSON_FIELDS = (
    "user_id",
    "points",
    "user__display_name",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__show_on_leaderboards",
)


class _Person(NamedTuple):
    """The fields of a User that ``_person`` reads."""

    pk: int
    public_name: str
    show_on_leaderboards: bool


def _person_values(values) -> tuple[_Person, int]:
    """(person, points) from a row of ``_PERSON_FIELDS`` (the name as ``User.public_name``)."""
    user_id, points, display, first, last, email, shown = values[:7]
    name = display or f"{first} {last}".strip() or email.split("@")[0]
    return _Person(user_id, name, shown), points


# The watchers' rows with what a row shows of each person and, in ``tied``, how many of the
# same points are ahead of each. Counted watcher to watcher along each points group (board
# order): each watcher's own count covers only the rows since the previous watcher of the
# group, and a running sum adds them up, so a group of many tied people with several watchers
# in it is walked once, not once per watcher (~35 % less time for 500 watchers at 100k).
_RANKED_ROWS = """
WITH v AS (
    SELECT w.user_id, w.points, w.reached_at,
           LAG(w.reached_at) OVER g AS prev_at, LAG(w.user_id) OVER g AS prev_id
    FROM leaderboard_standing AS w
    WHERE w.scope = %s AND w.user_id = ANY(%s)
    WINDOW g AS (PARTITION BY w.points ORDER BY w.reached_at, w.user_id)
), gaps AS (
    SELECT v.user_id, v.points, v.reached_at, (
        SELECT COUNT(*) FROM leaderboard_standing AS s
        WHERE s.scope = %s AND s.points = v.points
          AND (s.reached_at, s.user_id) < (v.reached_at, v.user_id)
          AND (v.prev_at IS NULL OR (s.reached_at, s.user_id) >= (v.prev_at, v.prev_id))
    ) AS gap
    FROM v
)
SELECT g.user_id, g.points, u.display_name, u.first_name, u.last_name, u.email,
       u.show_on_leaderboards,
       SUM(g.gap) OVER (PARTITION BY g.points ORDER BY g.reached_at, g.user_id) AS tied
FROM gaps AS g JOIN accounts_user AS u ON u.id = g.user_id
"""


def _ranked(scope: str, user_ids) -> dict[int, tuple[int, _Person, int]]:
    """{user_id: (rank, person, points)} for several users: two queries."""
    if not user_ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_RANKED_ROWS, [scope, list(user_ids), scope])
            rows = cursor.fetchall()
    else:
        tied = selectors._tied_ahead(
            Standing.objects.filter(scope=OuterRef("scope")),
            points=OuterRef("points"),
            reached_at=OuterRef("reached_at"),
            user_id=OuterRef("user_id"),
        )
        rows = list(
            Standing.objects.filter(scope=scope, user_id__in=list(user_ids))
            .annotate(tied=selectors._count(tied))
            .values_list(*_PERSON_FIELDS, "tied")
        )
    higher = selectors._higher_counts(scope, [row[1] for row in rows])
    result = {}
    for row in rows:
        person, points = _person_values(row)
        result[person.pk] = (higher[points] + int(row[-1]) + 1, person, points)
    return result


# The watchers' own rows and their neighbours (``ranks._NEAR_LATERAL_ROWS``) as one set, with
# what a row shows of each person, in board order.
_NEAR_ROWS = f"""
WITH n AS (
    SELECT w.user_id, w.points, w.reached_at FROM leaderboard_standing AS w
    WHERE w.scope = %s AND w.user_id = ANY(%s)
    UNION
    {rank_reads._NEAR_LATERAL_ROWS}
)
SELECT n.user_id, n.points, u.display_name, u.first_name, u.last_name, u.email,
       u.show_on_leaderboards
FROM n JOIN accounts_user AS u ON u.id = n.user_id
ORDER BY n.points DESC, n.reached_at, n.user_id
"""  # noqa: S608 - constant SQL, bound parameters


def _near(scope: str, ranks: dict[int, int], reach: int = 5) -> dict[int, list]:
    """{user_id: [(rank, person, points), ...]}: ``selectors.near_map``'s rows as plain values.

    The same reads (one statement on PostgreSQL, ``_NEAR_ROWS``, which visits about 11 index
    entries per watcher), ordered by the database along the rank index, so no timestamp is read
    back or compared in Python.
    """
    if not ranks:
        return {}
    user_ids = list(ranks)
    if connection.vendor == "postgresql":
        # Read from the rank index alone (index-only), then the people: no second visit of
        # each standing by primary key (500 viewers at 100k: ~120 ms became ~70 ms).
        with connection.cursor() as cursor:
            cursor.execute(_NEAR_ROWS, [scope, user_ids] + [reach] * 4 + [scope, user_ids])
            rows = [_person_values(values) for values in cursor.fetchall()]
    else:
        board = Standing.objects.filter(scope=scope)
        near = rank_reads._near_union(board, user_ids, reach)
        wanted = board.filter(Q(pk__in=near) | Q(user_id__in=user_ids))
        rows = [
            _person_values(values)
            for values in wanted.order_by(*rank_reads.ORDER).values_list(*_PERSON_FIELDS)
        ]
    position = {person.pk: i for i, (person, _) in enumerate(rows)}
    windows = rank_reads.rank_windows(rows, ranks, reach, position)
    return {user_id: [(rank, *row) for rank, row in window] for user_id, window in windows.items()}


def _tail(*, me, near, my_team, snapshot: bool) -> str:
    return encode({"snapshot": snapshot, "me": me, "near": near, "my_team": my_team})


def tails(read: ScopeRead, watchers: list[Watcher], *, snapshot: bool = False) -> dict[str, str]:
    """{channel name: encoded tail} of ``watchers`` of one scope.

    A constant number of queries however many they are: their ranks (two), the "near me" rows
    of those who asked (one on PostgreSQL), their teams' rows and ranks (two); on a frozen week
    L&D's come from the live standings instead (three).
    """
    result = {}
    live = [w for w in watchers if w.ld and read.frozen]
    standard = [w for w in watchers if not (w.ld and read.frozen)]
    if standard:
        ranked = _ranked(read.scope, {w.user_id for w in standard})
        near = _near(
            read.scope,
            {w.user_id: ranked[w.user_id][0] for w in standard if w.near and w.user_id in ranked},
        )
        teams = read.team_rows({w.team_id for w in standard if w.team_id})
        urls = _urls()
        for w in standard:
            mine = ranked.get(w.user_id)
            rows = near.get(w.user_id) if w.near else None
            result[w.channel_name] = _tail(
                me=_person(*mine, viewer_id=w.user_id, urls=urls) if mine else None,
                near=[
                    _person(*row, viewer_id=w.user_id, ld=w.ld, mark=True, urls=urls)
                    for row in rows
                ]
                if rows
                else None,
                my_team=teams.get(f"t{w.team_id}"),
                snapshot=snapshot,
            )
    if live:
        mine = {r["user_id"]: r for r in read.live if r["user_id"] in {w.user_id for w in live}}
        users = read.live_users(mine)
        teams = {t["key"]: t for t in read.live_teams}
        for w in live:
            row = mine.get(w.user_id)
            me = _person(row["rank"], users[w.user_id], row["points"], ld=True) if row else None
            result[w.channel_name] = _tail(
                me=me, near=None, my_team=teams.get(f"t{w.team_id}"), snapshot=snapshot
            )
    return result


def viewer_tails(scope: str, watchers: list[Watcher]) -> dict[str, str]:
    """The tails of one worker's viewers of ``scope`` for a broadcast (on a fresh read)."""
    return tails(ScopeRead(scope), watchers) if watchers else {}


def snapshot(watcher: Watcher) -> tuple[int, str]:
    """The frame a socket starts with (and gets on a resync), as small as a broadcast's, and
    its version."""
    version = broadcast.current_version(watcher.scope)
    read = ScopeRead(watcher.scope)
    head = encode_head(read.head(watcher.audience, version=version))
    return version, frame(head, tails(read, [watcher], snapshot=True)[watcher.channel_name])

"""Team boards a page at a time: the top N, a few named teams with their ranks, a name search.

A board at company scale has thousands of teams; the page, the JSON API and the live push
show the top few dozen. The order is computed by the database along the same key everywhere
(total: points, then who reached them first; average: the per-active-member average rounded
to one decimal as shown, then points, then who reached them first), so a rank on the page,
in the API and in a search result is the same number.
"""

from django.db import connection
from django.db.models import Case, F, FloatField, OrderBy, QuerySet, Value, When, Window
from django.db.models.functions import Cast, Round, RowNumber

from leaderboard.models import ScopeSettings, TeamStanding

PAGE_SIZE = 50  # teams on the page (and at most in the API)
SEARCH_LIMIT = 20
SEARCH_MAX_LENGTH = 100

# The average as the page shows it (one decimal), so that teams shown with the same average
# are ordered by points, as a reader expects.
AVERAGE = Case(
    When(members=0, then=Value(0.0)),
    default=Round(Cast("points", FloatField()) / F("members"), 1),
    output_field=FloatField(),
)


def _order(ranking: str) -> list:
    if ranking == ScopeSettings.AVERAGE:
        return ["-avg", "-points", "reached_at", "team_id"]
    return ["-points", "reached_at", "team_id"]


def _board(scope: str) -> QuerySet:
    return TeamStanding.objects.filter(scope=scope).annotate(avg=AVERAGE)


def _row(rank: int, standing: TeamStanding) -> dict:
    return {
        "rank": rank,
        "key": f"t{standing.team_id}",
        "name": standing.team.name,
        "points": standing.points,
        "members": standing.members,
        # As TeamStanding.average and the live push round it (the order uses the SQL value).
        "average": standing.average,
    }


def team_top(*, scope: str, ranking: str = ScopeSettings.TOTAL, limit: int | None) -> list[dict]:
    """The first ``limit`` teams of a board (every team when ``limit`` is None): one query."""
    rows = _board(scope).select_related("team").order_by(*_order(ranking))
    if limit is not None:
        rows = rows[:limit]
    return [_row(i, s) for i, s in enumerate(rows, start=1)]


def _ranks(scope: str, ranking: str, pks: list[int]) -> dict[int, int]:
    """{standing pk: rank} for a few rows: one pass over the board numbering it in board order
    (a few thousand rows at most, all in one scope), keeping the rows asked for."""
    if not pks:
        return {}
    numbered = _board(scope).annotate(
        rank=Window(
            RowNumber(),
            order_by=[
                OrderBy(F(f.lstrip("-")), descending=f.startswith("-")) for f in _order(ranking)
            ],
        )
    )
    sql, params = numbered.values("pk", "rank").query.sql_with_params()
    wanted = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT numbered.pk, numbered.rank FROM ({sql}) numbered"  # noqa: S608 - ORM SQL
            f" WHERE numbered.pk IN ({wanted})",
            [*params, *pks],
        )
        return dict(cursor.fetchall())


def _ranked(scope: str, ranking: str, rows) -> list[dict]:
    rows = list(rows)
    ranks = _ranks(scope, ranking, [s.pk for s in rows])
    return sorted((_row(ranks[s.pk], s) for s in rows), key=lambda row: row["rank"])


def team_rows(*, scope: str, ranking: str = ScopeSettings.TOTAL, team_ids) -> list[dict]:
    """The rows and ranks of the named teams that are on the board (e.g. the viewer's): two
    queries."""
    rows = _board(scope).filter(team_id__in=list(team_ids)).select_related("team")
    return _ranked(scope, ranking, rows)


def team_search(
    *, scope: str, ranking: str = ScopeSettings.TOTAL, query: str, limit: int = SEARCH_LIMIT
) -> tuple[list[dict], int]:
    """Teams on the board whose name contains ``query`` (any case), best first, with their
    ranks: at most ``limit`` rows, and how many teams match in all. Three queries."""
    matches = _board(scope).filter(team__name__icontains=query)
    total = matches.count()
    if not total:
        return [], 0
    first = matches.select_related("team").order_by(*_order(ranking))[:limit]
    return _ranked(scope, ranking, first), total


def search_query(raw: str | None) -> tuple[str | None, str]:
    """The search text from a query string, and an error message to show with it (or "").

    None when no search was asked for. Text that is too long is kept (the box shows what was
    typed) and not searched.
    """
    if raw is None:
        return None, ""
    query = " ".join(raw.split())
    if not query:
        return "", "Type part of a team name to search for it."
    if len(query) > SEARCH_MAX_LENGTH:
        return query, f"Search for at most {SEARCH_MAX_LENGTH} characters."
    return query, ""


def team_page(
    *, scope: str, ranking: str, team_id: int | None, query: str | None, live: bool = False
) -> dict:
    """What the team board page shows: the top ``PAGE_SIZE``, the viewer's team (its row, and
    whether it is in the top already) and the teams matching a search.

    ``live`` is L&D's view of a frozen week, summed from the ledger (bounded by the week).
    """
    mine = None
    results, matches = [], 0
    if live:
        from leaderboard.selectors import live_team_board

        every = live_team_board(scope=scope, ranking=ranking)
        top = every[:PAGE_SIZE]
        mine = next((t for t in every if t["key"] == f"t{team_id}"), None)
        if query:
            found = [t for t in every if query.casefold() in t["name"].casefold()]
            results, matches = found[:SEARCH_LIMIT], len(found)
    else:
        top = team_top(scope=scope, ranking=ranking, limit=PAGE_SIZE)
        mine = next((t for t in top if t["key"] == f"t{team_id}"), None)
        if mine is None and team_id:
            mine = next(iter(team_rows(scope=scope, ranking=ranking, team_ids=[team_id])), None)
        if query:
            results, matches = team_search(scope=scope, ranking=ranking, query=query)
    return {
        "teams": top,
        "my_team": mine,
        "my_team_in_top": mine is not None and mine["rank"] <= len(top),
        "results": results,
        "matches": matches,
    }

"""The leaderboard's JSON API (django-ninja), mounted at /api/v1/leaderboard/."""

from datetime import datetime

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accounts.roles import is_ld
from leaderboard import scopes, selectors, team_boards

router = Router(tags=["leaderboard"])


class RowOut(Schema):
    rank: int
    key: str
    name: str
    points: int
    me: bool
    url: str


class MeOut(Schema):
    rank: int
    points: int


class BoardOut(Schema):
    scope: str
    label: str
    generated_at: datetime
    frozen: bool = Field(
        False, description="A challenge week's board shown as of its freeze (live for L&D)."
    )
    top: list[RowOut]
    me: MeOut | None


class TeamRowOut(Schema):
    rank: int
    key: str
    name: str
    points: int
    members: int = Field(description="Members who earned points in this scope.")
    average: float = Field(description="Points per member who earned points.")


class TeamBoardOut(Schema):
    scope: str
    label: str
    generated_at: datetime
    ranking: str = Field(description="'total' or 'average': how the week ranks its teams.")
    frozen: bool = Field(
        False, description="A challenge week's board shown as of its freeze (live for L&D)."
    )
    teams: list[TeamRowOut]


class ErrorOut(Schema):
    detail: str


class BoardQuery(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many rows of the top to return.")


class TeamBoardQuery(Schema):
    limit: int = Field(20, ge=1, le=50, description="How many teams of the top to return.")


@router.get("/{scope}/teams/", response={200: TeamBoardOut, 404: ErrorOut})
def team_board(request, scope: str, query: Query[TeamBoardQuery]):
    """The top ``limit`` teams of a board (the office screen of a challenge week), ranked as the
    week ranks them. After a week's freeze colleagues get the board as of the freeze and L&D the
    live standings, as on the page."""
    try:
        key = scopes.resolve(scope)
    except scopes.UnknownScope as exc:
        return Status(404, {"detail": str(exc)})
    config = selectors.scope_config(key)
    ranking = config.team_ranking if config else "total"
    frozen = selectors.is_frozen(config)
    if frozen and is_ld(request.user):
        teams = selectors.live_team_board(scope=key, ranking=ranking)[: query.limit]
    else:
        teams = team_boards.team_top(scope=key, ranking=ranking, limit=query.limit)
    return Status(
        200,
        {
            "scope": key,
            "label": scopes.label(key, config.title if config else ""),
            "generated_at": timezone.now(),
            "ranking": ranking,
            "frozen": frozen,
            "teams": teams,
        },
    )


@router.get("/{scope}/", response={200: BoardOut, 404: ErrorOut})
def board(request, scope: str, query: Query[BoardQuery]):
    """The same board as the page: the top ``limit`` rows and the caller's own row."""
    try:
        key = scopes.resolve(scope)
    except scopes.UnknownScope as exc:
        return Status(404, {"detail": str(exc)})
    viewer_is_ld = is_ld(request.user)
    config = selectors.scope_config(key)
    if viewer_is_ld and selectors.is_frozen(config):
        # A frozen week: colleagues get the board as of the freeze, L&D the live standings.
        payload = selectors.board_payload(
            scope=key, user_ids=[request.user.pk], limit=query.limit, live=True
        )
        view = selectors.payload_for_viewer(payload, viewer_id=request.user.pk, viewer_is_ld=True)
        return Status(
            200,
            {
                "scope": key,
                "label": view["label"],
                "generated_at": timezone.now(),
                "frozen": True,
                "top": view["top"],
                "me": view["me"],
            },
        )
    standing, rank = selectors.standing_rank(scope=key, user=request.user)
    top = [
        selectors.standing_row(
            rank=i,
            user=s.user,
            points=s.points,
            viewer_id=request.user.pk,
            viewer_is_ld=viewer_is_ld,
        )
        for i, s in enumerate(selectors.board_top(scope=key, limit=query.limit), start=1)
    ]
    return Status(
        200,
        {
            "scope": key,
            "label": scopes.label(key, config.title if config else ""),
            "generated_at": timezone.now(),
            "frozen": selectors.is_frozen(config),
            "top": top,
            "me": {"rank": rank, "points": standing.points} if standing else None,
        },
    )

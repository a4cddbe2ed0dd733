"""Reads of standings, boards and recognition, by concern: ``ranks``, ``boards``,
``recognition``; the scope list and the spotlight live in their own modules. Everything is
importable from ``leaderboard.selectors`` as before."""

from leaderboard.scope_list import SCOPES_CACHE_KEY, available_scopes
from leaderboard.selectors.boards import (
    _row_key,
    board_payload,
    is_frozen,
    live_board_payload,
    live_standings,
    live_team_board,
    payload_for_viewer,
    person_url,
    scope_config,
    standing_row,
    team_board,
)
from leaderboard.selectors.ranks import (
    ANONYMOUS,
    ORDER,
    _count,
    _higher_counts,
    _tied_ahead,
    board_near,
    board_top,
    near_map,
    rank_map,
    standing_rank,
)
from leaderboard.selectors.recognition import (
    LEVELS_CACHE_KEY,
    kudos_left,
    level_progress,
    person_profile,
    profile_visible,
)
from leaderboard.spotlight import top_mentors

__all__ = [
    "ANONYMOUS",
    "LEVELS_CACHE_KEY",
    "ORDER",
    "SCOPES_CACHE_KEY",
    "_count",
    "_higher_counts",
    "_row_key",
    "_tied_ahead",
    "available_scopes",
    "board_near",
    "board_payload",
    "board_top",
    "is_frozen",
    "kudos_left",
    "level_progress",
    "live_board_payload",
    "live_standings",
    "live_team_board",
    "near_map",
    "payload_for_viewer",
    "person_profile",
    "person_url",
    "profile_visible",
    "rank_map",
    "scope_config",
    "standing_rank",
    "standing_row",
    "team_board",
    "top_mentors",
]

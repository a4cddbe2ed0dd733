"""The hook for ``challenges``: a challenge week's board (title, team ranking, freeze, final)."""

import logging
from datetime import datetime
from functools import partial

from django.core.cache import cache
from django.db import transaction

from config.errors import ApplicationError as LeaderboardError
from leaderboard.models import ScopeSettings
from leaderboard.rebuild import scope_rebuild
from leaderboard.selectors import SCOPES_CACHE_KEY

logger = logging.getLogger(__name__)


@transaction.atomic
def week_configure(
    *,
    week_id: int,
    title: str = "",
    team_ranking: str = ScopeSettings.TOTAL,
    frozen_at: datetime | None = None,
    final: bool = False,
) -> ScopeSettings:
    """The hook for ``challenges``: name a week's board, choose its team ranking, freeze it.

    Freezing (``frozen_at``, which may lie ahead) keeps the public board as it stood then while
    later awards still enter the ledger. Unfreezing or moving the freeze time rebuilds the
    week's rows. ``final`` says the week is over: its board is final and week-placement badges
    are awarded from it (once per person and badge, so repeating this is harmless).
    """
    if team_ranking not in {ScopeSettings.TOTAL, ScopeSettings.AVERAGE}:
        raise LeaderboardError("Team ranking must be “total” or “average”.")
    scope = f"week-{int(week_id)}"
    config, _ = ScopeSettings.objects.get_or_create(scope=scope)
    refreeze = config.frozen_at != frozen_at
    config.title = title
    config.team_ranking = team_ranking
    config.frozen_at = frozen_at
    config.save()
    # A new or renamed week shows in the boards' navigation at once.
    transaction.on_commit(partial(cache.delete, SCOPES_CACHE_KEY))
    if refreeze:
        scope_rebuild(scope, frozen_at=frozen_at)
        transaction.on_commit(partial(_announce_quietly, [scope]))
    if final:
        from leaderboard.badges import week_placement_badges_award

        transaction.on_commit(partial(week_placement_badges_award, scope=scope))
    return config


def _announce_quietly(moved: list[str]) -> None:
    from leaderboard import broadcast

    try:
        broadcast.announce(moved)
    except Exception:
        logger.exception("Could not announce leaderboard scopes %s", moved)

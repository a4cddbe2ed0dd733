"""Signal handlers of the leaderboard app (connected in ``LeaderboardConfig.ready``)."""

import logging

from leaderboard import broadcast

logger = logging.getLogger(__name__)


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """Logging out closes the user's live board sockets (in every worker, via the layer)."""
    if user is None:
        return
    try:
        broadcast.logout_close(user.pk)
    except Exception:
        # Logout itself must succeed even if the channel layer is down.
        logger.exception("Could not close the board sockets of user %s", user.pk)

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


def announce_public_identity(sender, user, **kwargs) -> None:
    """A person renamed or hid themselves: redraw every board they are on (people and the
    near-me views), through the usual coalesced broadcast."""
    from leaderboard.models import Standing

    scopes = list(Standing.objects.filter(user=user).values_list("scope", flat=True))
    try:
        broadcast.announce(scopes)
    except Exception:
        logger.exception("Could not announce the boards of user %s", user.pk)

"""Kudos between colleagues: a weekly budget, points for the recipient, a notification."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import ApplicationError as LeaderboardError
from leaderboard.models import Kudos
from leaderboard.services.ledger import _local_day_start, points_award, users_lock
from notifications.services import notification_send


def kudos_give(*, giver: User, recipient: User, message: str) -> Kudos:
    """``giver`` thanks ``recipient`` with a short message, from a weekly budget; earns points.

    Refused (LeaderboardError) for oneself, an empty or over-long message, an inactive
    recipient, or when this week's budget is spent. The budget is counted from the database
    under a lock on the giver's row, so parallel requests cannot overspend it.
    """
    message = (message or "").strip()
    if recipient.pk == giver.pk:
        raise LeaderboardError("You cannot give kudos to yourself.")
    if not recipient.is_active:
        raise LeaderboardError("This colleague's account is no longer active.")
    if not message:
        raise LeaderboardError("Write a short message to say what the kudos are for.")
    if len(message) > 280:
        raise LeaderboardError("Keep the kudos message to 280 characters or fewer.")
    budget = settings.LEADERBOARD_KUDOS_WEEKLY_BUDGET
    with transaction.atomic():
        users_lock([giver.pk, recipient.pk])
        week_start = kudos_week_start()
        given = Kudos.objects.filter(giver=giver, created_at__gte=week_start).count()
        if given >= budget:
            raise LeaderboardError(
                f"You have given all {budget} kudos of your weekly budget. It renews on Monday."
            )
        kudos = Kudos.objects.create(giver=giver, recipient=recipient, message=message)
        points_award(
            user=recipient,
            amount=settings.LEADERBOARD_KUDOS_POINTS,
            kind="kudos.received",
            source_key=f"kudos:{kudos.pk}",
            content_owner=giver,
        )
        notification_send(
            user=recipient,
            kind="kudos",
            message=f"{giver.public_name} gave you kudos: {message[:200]}",
            url=reverse("leaderboard:person", args=[recipient.pk]),
        )
    return kudos


def kudos_week_start(moment: datetime | None = None) -> datetime:
    """Monday 00:00 (site time zone) of the week of ``moment``: when kudos budgets renew."""
    day = _local_day_start(moment or timezone.now())
    return day - timedelta(days=day.weekday())

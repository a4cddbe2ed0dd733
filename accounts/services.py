"""Writes with rules for accounts and teams."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Team, User


@transaction.atomic
def membership_set(*, user: User, team: Team) -> Membership:
    """Move ``user`` into ``team``, closing their current membership (history is kept).

    Setting the team a user is already in changes nothing.
    """
    now = timezone.now()
    # Lock the user's row so two concurrent moves cannot both open a membership.
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = Membership.objects.filter(user=user, ended_at__isnull=True).first()
    if current and current.team_id == team.pk:
        return current
    if current:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    membership = Membership.objects.create(user=user, team=team, started_at=now)
    user.__dict__.pop("_current_team", None)
    return membership

"""Reads for accounts that are more than a one-line query."""

from django.utils import timezone

from accounts.models import Invitation


def invitation_pending_for_email(*, email: str) -> Invitation | None:
    """The open, unexpired invitation for ``email`` (any case), if there is one."""
    return (
        Invitation.objects.select_related("team")
        .filter(
            email__iexact=email.strip(), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )


def invitation_pending_for_token(*, token: str) -> Invitation | None:
    """The open, unexpired invitation behind an e-mailed link, if the link is still good."""
    return (
        Invitation.objects.select_related("team")
        .filter(token=token, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )

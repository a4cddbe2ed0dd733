"""Reads of notifications: the header's unread count and a person's latest notifications."""

from accounts.models import User
from notifications.models import Notification


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_recent(*, user: User, limit: int = 50) -> list[Notification]:
    """``user``'s newest notifications first (their own only)."""
    return list(Notification.objects.filter(user=user)[:limit])

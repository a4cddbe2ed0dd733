from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The viewer's unread notification count, for the header (queried only when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from leaderboard.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(count)}

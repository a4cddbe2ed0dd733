from django.utils.functional import SimpleLazyObject

from accounts.person_cache import prefetched, viewer_cached
from notifications.selectors import notifications_unread_count


def notifications(request):
    """The header's per-person extras: the viewer's unread notification count, and whether they
    line-manage a team (the "My team" link). Each is evaluated only when the header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        # Kept per person until a notification is written or read (notifications.services).
        return viewer_cached(request, "unread", lambda: notifications_unread_count(user=user))

    return {
        "unread_notifications": SimpleLazyObject(count),
        "manages_team": SimpleLazyObject(lambda: user.pk in line_manager_ids(request)),
    }


# Who line-manages an active team, for the header's "My team" link: one small query per cache
# lifetime for the whole site, not one per page view. Saving or deleting a team clears it
# (home.apps); the lifetime bounds staleness after a bulk update that sends no signal.
LINE_MANAGERS_KEY = "home:line-managers"
LINE_MANAGERS_TTL = 600


def line_manager_ids(request=None) -> frozenset[int]:
    from django.core.cache import cache

    ids = prefetched(request, LINE_MANAGERS_KEY) if request is not None else None
    if ids is None:
        ids = cache.get(LINE_MANAGERS_KEY)
    if ids is None:
        from accounts.models import Team

        ids = frozenset(
            Team.objects.filter(is_active=True, line_manager__isnull=False).values_list(
                "line_manager_id", flat=True
            )
        )
        cache.set(LINE_MANAGERS_KEY, ids, LINE_MANAGERS_TTL)
    return ids


def line_managers_clear(**kwargs) -> None:
    from django.core.cache import cache

    cache.delete(LINE_MANAGERS_KEY)

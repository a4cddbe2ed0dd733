"""The header's count of corrections waiting for the viewer's review."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from accounts.person_cache import prefetched

# Short enough that a new correction shows up within a minute, long enough that browsing the site
# costs one count query per person per minute at most. A review the viewer submits clears it.
WAITING_REVIEWS_TTL = 60


def waiting_reviews_key(user_id: int) -> str:
    return f"challenges:waiting-reviews:{user_id}"


def waiting_reviews(request):
    """``waiting_reviews``: evaluated only when a template shows it, cached briefly per person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from challenges.selectors import waiting_reviews_count

        key = waiting_reviews_key(user.pk)
        value = prefetched(request, key)  # read with the viewer's user (accounts.middleware)
        if value is None:
            value = cache.get(key)
        if value is None:
            value = waiting_reviews_count(user=user)
            cache.set(key, value, WAITING_REVIEWS_TTL)
        return value

    return {"waiting_reviews": SimpleLazyObject(count)}

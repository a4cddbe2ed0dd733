"""The "top mentors" spotlight of the dashboard, read from the month's standings.

The spotlight used to sum seven days of the ledger on every dashboard view (183 of its 252 ms
at 100,000 employees). A rolling seven-day window has no maintained aggregate, so the spotlight
shows the current month's board instead: an index-ordered read of its first public rows. It is
the same for every viewer (only people who show on public boards appear), so it is cached for
a short while and shared; someone who hides or renames themselves leaves it at once.
"""

from django.core.cache import cache
from django.urls import reverse

from leaderboard import scopes
from leaderboard.models import Standing

SPOTLIGHT_CACHE_SECONDS = 30
SPOTLIGHT_SIZE = 10  # rows cached; a tag asks for at most this many


def spotlight_key() -> str:
    return f"leaderboard:spotlight:{scopes.month_key_now()}"


def top_mentors(*, limit: int = 3) -> list[dict]:
    """This month's top ``limit`` mentors who show on public boards: name, points and link."""
    key = spotlight_key()
    found = cache.get(key)
    if found is None:
        rows = (
            Standing.objects.filter(
                scope=scopes.month_key_now(),
                points__gt=0,
                user__show_on_leaderboards=True,
                user__is_active=True,
            )
            .select_related("user")
            .order_by("-points", "reached_at", "user_id")[:SPOTLIGHT_SIZE]
        )
        found = [
            {
                "name": s.user.public_name,
                "points": s.points,
                "url": reverse("leaderboard:person", args=[s.user_id]),
            }
            for s in rows
        ]
        cache.set(key, found, SPOTLIGHT_CACHE_SECONDS)
    return found[:limit]


def forget_spotlight(**kwargs) -> None:
    """Signal receiver: someone renamed or hid themselves, so the cached names may be stale."""
    cache.delete(spotlight_key())

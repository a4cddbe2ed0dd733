"""The announcement banner of running challenge weeks (in base.html's ``banner`` block)."""

from django import template
from django.core.cache import cache
from django.utils import timezone

from accounts.person_cache import prefetched
from challenges import selectors
from challenges.services.weeks import BANNER_CACHE_KEY, BANNER_SECONDS

register = template.Library()


@register.inclusion_tag("challenges/includes/weeks_banner.html", takes_context=True)
def weeks_banner(context) -> dict:
    """Running weeks with a link to their board and the time left, for signed-in people.

    Read at most every BANNER_SECONDS (and at once after a week is saved), so a page view costs
    no query for it. A template tag never writes: ended weeks are finalised by the
    ``weeks_close`` job, not here.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"weeks": []}
    weeks = prefetched(request, BANNER_CACHE_KEY)  # read with the viewer's user, if it was
    if weeks is None:
        weeks = cache.get(BANNER_CACHE_KEY)
    if weeks is None:
        weeks = selectors.weeks_running()
        cache.set(BANNER_CACHE_KEY, weeks, BANNER_SECONDS)
    now = timezone.now()
    return {"weeks": [week for week in weeks if week.starts_at <= now < week.ends_at]}

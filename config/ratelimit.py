"""Per-person rate limits on costly or spammable writes (AI test runs, drafts, kudos).

Sign-in has allauth's own limits (``ACCOUNT_RATE_LIMITS``); this covers the site's own views.
A limit is ``"<count>/<period>"`` with the period in ``s``, ``m``, ``h`` or ``d`` (``"10/m"``),
several separated by commas (``"10/m,100/d"``). Counted per signed-in person, or per client IP
(as ``config.proxy`` resolved it) for anonymous requests, in fixed windows in the cache: an
``add`` then an atomic ``incr``, so two workers sharing Redis count together.

If the cache cannot count (Redis down), the request is allowed: a rate limit guards cost, not
correctness, and refusing every AI test or draft during an outage would be worse than a burst.
"""

import logging
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PERIOD_WORDS = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @property
    def words(self) -> str:
        unit = PERIOD_WORDS.get(self.seconds)
        return f"a {unit}" if unit else f"in {self.seconds} seconds"


def parse_rates(text: str) -> list[Rate]:
    """``"10/m,100/d"`` → two rates; refuses a malformed limit loudly (a settings mistake)."""
    rates = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        count, _, period = part.partition("/")
        number, unit = period[:-1] or "1", period[-1:]
        if unit not in PERIODS or not count.isdigit() or not number.isdigit():
            raise ValueError(f"Bad rate limit {part!r}: write it as 10/m, 100/h or 5/30s.")
        rates.append(Rate(int(count), int(number) * PERIODS[unit]))
    return rates


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def rate_limit_hit(request, action: str) -> Rate | None:
    """Count one ``action`` by this requester; return the rate it exceeds, or None if allowed."""
    rates = parse_rates(settings.RATE_LIMITS.get(action, ""))
    now = time.time()
    who = _who(request)
    for rate in rates:
        window = int(now // rate.seconds)
        key = f"rl:{action}:{rate.count}/{rate.seconds}:{who}:{window}"
        try:
            cache.add(key, 0, timeout=rate.seconds + 1)
            used = cache.incr(key)
        except Exception as exc:  # the cache is down or lost the key: fail open (see above)
            logger.warning("Rate limit %s not counted: %s", action, exc.__class__.__name__)
            continue
        if used > rate.count:
            return rate
    return None


def too_many_response(request, *, action: str, rate: Rate, label: str, as_json: bool):
    """A 429 naming the limit and when to try again, as JSON or as a page."""
    retry = max(1, math.ceil(rate.seconds - time.time() % rate.seconds))
    message = (
        f"Too many {label}: the limit is {rate.count} {rate.words}. "
        f"Please wait {retry} second{'s' if retry != 1 else ''} and try again."
    )
    if as_json:
        response = JsonResponse({"error": message}, status=429)
    else:
        html = render_to_string("429.html", {"message": message}, request=request)
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry)
    return response


def rate_limited(action: str, *, label: str, as_json: bool = False):
    """Decorate a view: past ``settings.RATE_LIMITS[action]`` it answers 429 without running."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            rate = rate_limit_hit(request, action)
            if rate is not None:
                return too_many_response(
                    request, action=action, rate=rate, label=label, as_json=as_json
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate

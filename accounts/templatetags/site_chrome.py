"""The chrome every page shares (base.html): the site header and static asset URLs, rendered
once per distinct input instead of once per request.

The header shows only a few values: which section the path is in, whether someone is signed in,
their public name, their role flags and two counts. ``site_header`` renders
``includes/site_header.html`` from those values alone (the template never sees the request or
the user) and keeps the HTML in this process keyed by all of them, so a page with the same
values reuses it and a change to any value (a new notification, a role, a renamed person) is a
different key, shown on that very request. The key holds everything the HTML depends on, so one
person's header can be served to another only if every value shown is the same. The sign-out
form's CSRF token is never kept: the kept HTML has a slot the token of the request fills.
"""

import functools

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

register = template.Library()

HEADER_TEMPLATE = "includes/site_header.html"
# Distinct headers kept per process: sections x role flags x counts x names of active viewers.
# Past this many the memo starts again empty (cheap, and bounded memory).
MAX_HEADERS = 4096
CSRF_SLOT = "\x00csrf\x00"  # never in rendered HTML (the input guard refuses NUL bytes)

# Where the path is in the site, for the navigation's aria-current (first match wins).
SECTIONS = (
    ("/skills/", "skills"),
    ("/challenges/", "challenges"),
    ("/leaderboard/", "leaderboard"),
    ("/insights/", "insights"),
    ("/mentoring/", "mentoring"),
    ("/challenge/reviews", "reviews"),
    ("/me/team/", "my_team"),
    ("/learn/assignments/", "assignments"),
    ("/challenge/weeks/", "weeks"),
)

_headers: dict[tuple, str] = {}


def section(path: str) -> str:
    if path == "/":
        return "dashboard"
    return next((name for prefix, name in SECTIONS if path.startswith(prefix)), "")


def _count(value) -> int:
    # The context processors' counts are lazy objects, which proxy str() but not int().
    try:
        return int(str(value)) if value else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The site header for this request (see the module docstring)."""
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    values = {
        "nav": section(request.path if request is not None else ""),
        "authenticated": authenticated,
    }
    if authenticated:
        values |= {
            "public_name": str(user.public_name),
            "is_ld": bool(context.get("is_ld")),
            "is_ld_manager": bool(context.get("is_ld_manager")),
            "manages_team": bool(context.get("manages_team")),
            "waiting_reviews": _count(context.get("waiting_reviews")),
            "unread_notifications": _count(context.get("unread_notifications")),
        }
    key = tuple(values.values())
    html = _headers.get(key)
    if html is None:
        engine = context.template.engine
        html = engine.get_template(HEADER_TEMPLATE).render(
            template.Context(values | {"csrf_slot": CSRF_SLOT}, autoescape=context.autoescape)
        )
        if len(_headers) >= MAX_HEADERS:
            _headers.clear()
        _headers[key] = html
    if CSRF_SLOT in html:
        # As {% csrf_token %} does: the request's (masked) token, which also marks the CSRF
        # cookie as used. Tokens are letters and digits, safe in an attribute.
        token = str(context.get("csrf_token") or "")
        html = html.replace(CSRF_SLOT, "" if token == "NOTPROVIDED" else token)  # noqa: S105
    return mark_safe(html)  # noqa: S308 - rendered by the template engine with autoescape


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}``, looked up once per process (the manifest does not change while
    it runs)."""
    return _asset(path, settings.STATIC_URL)


@functools.lru_cache(maxsize=256)
def _asset(path: str, static_url: str) -> str:
    return static(path)


BANNER_TEMPLATE = "challenges/includes/weeks_banner.html"
_banners: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def weeks_banner(context) -> str:
    """The running challenge weeks' banner (``challenge_weeks.weeks_banner`` chooses them), its
    HTML kept per process keyed by every field it shows and the minutes left of each week (what
    "ends in …" is computed from), so it is rendered again as soon as anything shown changes."""
    from django.utils import timezone

    from challenges.templatetags.challenge_weeks import weeks_banner as banner_weeks

    weeks = banner_weeks(context)["weeks"]
    if not weeks:
        return ""
    now = timezone.now()
    key = tuple(
        (
            week.pk,
            week.title,
            week.theme,
            week.scope,
            week.ends_at,
            int((week.ends_at - now).total_seconds() // 60),
        )
        for week in weeks
    )
    html = _banners.get(key)
    if html is None:
        engine = context.template.engine
        html = engine.get_template(BANNER_TEMPLATE).render(
            template.Context({"weeks": weeks}, autoescape=context.autoescape)
        )
        if len(_banners) >= MAX_HEADERS:
            _banners.clear()
        _banners[key] = html
    return mark_safe(html)  # noqa: S308 - rendered by the template engine with autoescape


def _frozen(value):
    """``value`` as a hashable key part (lists and tuples of plain values), or TypeError."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    hash(value)
    return value


_kept: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def kept_include(context, template_name: str, **values) -> str:
    """``{% include template_name with ... only %}``, its HTML kept per process keyed by the
    template and every value given: for chrome that is the same for everyone who passes the
    same values (a board's navigation). The template sees those values and nothing else (no
    request, user or CSRF token), so the key is all it depends on."""
    key = (template_name, *sorted((name, _frozen(value)) for name, value in values.items()))
    html = _kept.get(key)
    if html is None:
        engine = context.template.engine
        html = engine.get_template(template_name).render(
            template.Context(values, autoescape=context.autoescape)
        )
        if len(_kept) >= MAX_HEADERS:
            _kept.clear()
        _kept[key] = html
    return mark_safe(html)  # noqa: S308 - rendered by the template engine with autoescape

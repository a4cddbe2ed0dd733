"""Serving a Wagtail page without walking the page tree on every request.

Wagtail finds the site (one query) and the root page (one more), then walks the tree one level
at a time (two queries per level: the child by slug, then its specific row), so a lesson four
levels down costs ten queries before its own. Which page a path names changes only when an
editor publishes, moves or deletes pages, so this middleware remembers, in the shared cache,
the site (with its root page) and path -> page, and forgets everything at once on any such
change (a new cache version). A remembered path costs no query and one cache read of its own
(site, route and what the page shows everyone, ``page_shared``, together; the version comes
with the viewer's user): the live page itself (its specific row as read from the
database, not the copy a view went through) is remembered with its path. Who may see the page
is still checked on every request by Wagtail's own hooks and the page's ``serve``; what is
remembered is whether any view restriction applies (adding one forgets every route). Nothing
per person is cached.
"""

import contextvars
import uuid

from django.apps import apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve

from accounts.person_cache import prefetched_many
from accounts.sessions import viewer_guess

VERSION_KEY = "pages:version"
TIMEOUT = 600


# The version this request's route was read under (set by the middleware for a page request),
# so that what the page reads next keys on it without another cache round trip.
_request_version: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "pages_version", default=None
)


def pages_version() -> str:
    """The page-tree version: replaced whenever a page, a site or a view restriction changes
    (``forget_pages``). Caches of what pages show everyone alike key on it. During a page
    request, the version its route was read under: a value computed from a page read after a
    change is then stored under the old version, which nobody reads any more."""
    return _request_version.get() or _version()


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], None)
        version = cache.get(VERSION_KEY) or "down"  # cache down: keys of their own, all misses
    return version


def forget_pages(sender=None, **kwargs) -> None:
    """Signal receiver: a page, a site or a view restriction changed; all routes are stale.
    An image too: what pages show everyone alike is cached with its renditions' URLs."""
    if sender is None or (
        isinstance(sender, type)
        and issubclass(sender, (Page, Site, PageViewRestriction, AbstractImage))
    ):
        _new_version()
        # Again after the commit: a request that read the old page before it must not have
        # remembered it under the new version (pages themselves are remembered, not only paths).
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], None)


def connect() -> None:
    """Connect ``forget_pages`` to every change that can move a path to another page, and read
    the page-tree version with the viewer's user (one round trip, ``accounts.middleware``)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from accounts.person_cache import HEADER_KEYS

    if _version_header_key not in HEADER_KEYS:
        HEADER_KEYS.append(_version_header_key)
    for signal in (post_save, post_delete, page_published, page_unpublished, post_page_move):
        signal.connect(forget_pages, dispatch_uid="home.page_cache")


def _version_header_key(pk) -> str:
    return VERSION_KEY


def _request_start_version(request) -> str:
    """The page-tree version, as read with the viewer's user when there is one (no round trip
    of its own), else read now."""
    from accounts.person_cache import prefetched

    user = getattr(request, "user", None)
    if user is not None:
        user.is_authenticated  # noqa: B018 - loads the viewer, with the version beside them
    return prefetched(request, VERSION_KEY) or _version()


def page_shared(request, page, compute):
    """What ``page`` shows everyone alike, as ``compute()`` makes it, cached under the page-tree
    version. During a page request served through this middleware it came in the same round
    trip as the route (keyed by host and path, and kept with the page's id, which a value for
    another page never matches); elsewhere (previews, other views) it is read under its own key.
    Nothing of any person may go into it."""
    if getattr(request, "is_preview", False):
        return compute()  # a draft: never kept where the live page would read it
    key = getattr(request, "_page_shared_key", None)
    if key is not None:
        found = request._page_shared
    else:
        key = f"pages:shared:{pages_version()}:{page.pk}"
        found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == page.pk:
        return found[1]
    shared = compute()
    cache.set(key, (page.pk, shared), TIMEOUT)
    return shared


def _host(request) -> str | None:
    try:
        return f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    except Exception:  # a malformed Host: let Wagtail answer as it would
        return None


def _site(found, key: str, request):
    site = found.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        site.root_page.localized.specific  # noqa: B018 - fetched now, cached with the site
        cache.set(key, site, TIMEOUT)
    return site


# The page-tree version this process read last, and which page (model label, pk) it last served
# at a host and path: what ``process_view`` guesses the next request's keys from.
_last_version: str | None = None
_served: dict[tuple[str, str], tuple[str, int]] = {}
_SERVED_MAX = 10_000


def _keys(version, host: str, path: str) -> list[str]:
    return [
        f"pages:site:{version}:{host}",
        f"pages:path:{version}:{host}:{path}",
        f"pages:shared:{version}:{host}:{path}",
    ]


def _remember_page(host: str, path: str, page) -> None:
    if len(_served) >= _SERVED_MAX:
        _served.clear()
    _served[(host, path)] = (page._meta.label_lower, page.pk)


def _page_keys(request, version, host: str, path: str) -> list[str]:
    """The cache keys the page last served at this path will read for this viewer, as its
    class's ``prefetch_keys(page_pk, user_pk)`` names them under ``version`` (none when the
    session names no user or the page's class reads nothing of its own)."""
    served = _served.get((host, path))
    if served is None:
        return []
    keys_for = getattr(apps.get_model(served[0]), "prefetch_keys", None)
    if keys_for is None:
        return []
    # The user this process last saw the session name (accounts.sessions): the session is then
    # read with the viewer's user, and these keys, in one round trip; a wrong guess only means
    # the page reads its own keys. Unknown: the id the middleware will read the user by.
    user_pk = viewer_guess(request)
    if user_pk is None:
        try:
            user_pk = get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
        except Exception:  # no session user, or a value that names none
            return []
    token = _request_version.set(version)
    try:
        return keys_for(served[1], user_pk)
    finally:
        _request_version.reset(token)


class PageRouteCacheMiddleware:
    """Remembers which page a path serves, and the page (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            _request_version.set(None)
        key = getattr(request, "_page_route_key", None)
        route = getattr(request, "_wagtail_route_for_request", None)
        if key and route is not None and response.status_code == 200:
            page, args, kwargs = route
            if not args and not kwargs and page.live:
                public = not page.get_view_restrictions().exists()
                label = page._meta.label_lower
                # A clean copy of the page for the next requests: this one went through a view,
                # which may have added per-person attributes. The home page comes with the site.
                clean = None
                if page.pk != request._wagtail_site.root_page_id:
                    clean = apps.get_model(label).objects.filter(pk=page.pk, live=True).first()
                if clean is not None or page.pk == request._wagtail_site.root_page_id:
                    cache.set(key, (page.pk, public, clean), TIMEOUT)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not serve or request.method not in ("GET", "HEAD"):
            return None
        host = _host(request)
        if host is None:
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        # The keys are asked for with the viewer's user, under the version this process read
        # last (it changes only on a publish): the route, site and shared values, and what the
        # page last served at this path reads next (``prefetch_keys`` of its class). Only keys
        # are guessed: a guess that proves wrong (a new version) is read again below.
        global _last_version
        guess = _last_version
        if guess is not None:
            request.prefetch_keys = [
                *_keys(guess, host, path),
                *_page_keys(request, guess, host, path),
            ]
        version = _request_start_version(request)
        _last_version = version
        _request_version.set(version)
        site_key, key, shared_key = keys = _keys(version, host, path)
        found = prefetched_many(request, keys)  # no round trip of its own when guessed right
        site = _site(found, site_key, request)
        if site is None:
            return None
        request._wagtail_site = site
        # What the page at this path shows everyone (``page_shared``).
        request._page_shared_key, request._page_shared = shared_key, found.get(shared_key)
        route = found.get(key)
        if route is not None:
            pk, public, page = route
            root = site.root_page.localized.specific  # came with the cached site
            if root.pk == pk:  # the home page: no query at all
                page = root if root.live else None
            if page is not None:
                if public:
                    # No view restriction on the page or above it when it was remembered, and
                    # adding one forgets every route: Wagtail's check needs no query.
                    page.get_view_restrictions = PageViewRestriction.objects.none
                request._wagtail_route_for_request = RouteResult(page)
                _remember_page(host, path, page)
                return None
        request._page_route_key = key
        return None

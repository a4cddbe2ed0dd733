"""Django's authentication middleware, with the viewer's user row (and roles) from the cache.

``request.user`` is still the session's user, checked as Django checks it: the session names a
user id and a configured backend, and the session's auth hash must match the user's
(``get_session_auth_hash``, derived from their password hash). Only the database read is
saved: the user object, with its role names, is kept per person beside their version
(:mod:`accounts.person_cache`), which changes when the user row or their groups change; the
version, the user and the header's other values come back in one round trip, with the session
itself when this process has served the session before (:mod:`accounts.sessions`). Anything
unusual (no cached copy, a hash that does not match the current secret, a cache outage) goes
through ``django.contrib.auth.get_user`` unchanged, which also handles fallback secrets and
flushes a session whose hash no longer matches.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from accounts.person_cache import (
    HEADER_KEYS,
    PREFETCHED,
    current_key,
    current_store,
    current_value,
    person_version,
    version_key,
)
from accounts.roles import user_roles
from accounts.sessions import remember_viewer, viewer_guess


def _viewer_keys(request, user_id) -> list[str]:
    """The person's version, their user and header values (each stored beside the version it
    was computed under), the other header keys (accounts.person_cache), and what the page will
    read next, if it said so before the user was first touched (``home.page_cache``): exact
    keys, so nothing read here is ever served for another."""
    return [
        version_key(user_id),
        current_key(user_id, "user"),
        *(current_key(user_id, name) for name in PREFETCHED),
        *(header_key(user_id) for header_key in HEADER_KEYS),
        *getattr(request, "prefetch_keys", ()),
    ]


def _cached_user(request):
    session = request.session
    # The session itself comes in the same round trip when this process knows whose it was
    # (accounts.sessions): the keys are those of that user, used only if the session agrees.
    guess = viewer_guess(request)
    session_key = None
    if guess is not None and hasattr(session, "prefetch_key"):
        session_key = session.prefetch_key()
    found = keys = None
    if session_key is not None:
        keys = _viewer_keys(request, guess)
        found = cache.get_many([session_key, *keys])
        session.use_prefetched(found.pop(session_key, None))
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[auth.BACKEND_SESSION_KEY]
        session_hash = session[auth.HASH_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return auth.get_user(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS or not session_hash:
        return auth.get_user(request)
    if found is None or user_id != guess:
        # One round trip: the version, the user and the header values (see _viewer_keys).
        keys = _viewer_keys(request, user_id)
        found = cache.get_many(keys)
    remember_viewer(session, user_id)
    own_version_key = keys[0]
    request.person_prefetched_keys = frozenset(keys)
    version = found.get(own_version_key) or person_version(user_id)
    request.person_version, request.person_version_pk = version, user_id
    request.person_prefetched = found
    cached = current_value(found, user_id, "user", version)
    if (
        cached is not None
        and cached.pk == user_id
        and cached.is_active
        and constant_time_compare(session_hash, cached.get_session_auth_hash())
    ):
        return cached
    user = auth.get_user(request)  # the database read, and every check Django makes
    if user.is_authenticated and user.pk == user_id:
        user_roles(user)  # read now, so the cached copy carries them
        current_store(user_id, "user", version, user)
    return user


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    """``AuthenticationMiddleware`` whose ``request.user`` comes from the per-person cache."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))

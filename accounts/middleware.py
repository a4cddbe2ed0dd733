"""Django's authentication middleware, with the viewer's user row (and roles) from the cache.

``request.user`` is still the session's user, checked as Django checks it: the session names a
user id and a configured backend, and the session's auth hash must match the user's
(``get_session_auth_hash``, derived from their password hash). Only the database read is
saved: the user object, with its role names, is kept per person beside their version
(:mod:`accounts.person_cache`), which changes when the user row or their groups change; the
version, the user and the header's other values come back in one round trip. Anything
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


def _cached_user(request):
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[auth.BACKEND_SESSION_KEY]
        session_hash = session[auth.HASH_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return auth.get_user(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS or not session_hash:
        return auth.get_user(request)
    # One round trip: the person's version, their user and header values (each stored beside the
    # version it was computed under), and the other header keys (accounts.person_cache).
    own_version_key = version_key(user_id)
    keys = [
        own_version_key,
        current_key(user_id, "user"),
        *(current_key(user_id, name) for name in PREFETCHED),
        *(header_key(user_id) for header_key in HEADER_KEYS),
        # What the page will read next, if it said so before the user was first touched
        # (``home.page_cache``): exact keys, so nothing read here is ever served for another.
        *getattr(request, "prefetch_keys", ()),
    ]
    found = cache.get_many(keys)
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

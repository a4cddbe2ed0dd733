"""Sessions from the cache, written through to the database (Django's ``cached_db``), whose read
can join the viewer's one cache round trip (``SESSION_ENGINE = "accounts.sessions"``).

A signed-in page read the session with a cache GET of its own, then the viewer's user and
header values with a ``get_many`` (``accounts.middleware``): the second read names the user the
session holds, so it had to wait for the first. Each process now remembers which user each
session it served named (a bounded memo keyed by a hash of the session key, never the key
itself), and the middleware reads the session together with that user's keys. Only the session
read in that round trip says who the viewer is: when it names someone else (the memo is empty
for a new session or a session first seen by another worker, or the session changed) the
middleware reads the right person's keys again, so a guess never serves anyone's values to
another. Everything else is ``cached_db``: a session missing from the cache comes from the
database, a logout deletes it from both, a session whose password hash no longer matches is
flushed by Django's check.
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import DEFAULT_CACHE_ALIAS

_UNSET = object()
# Sessions remembered per process; past this many the memo starts again empty.
MAX_VIEWERS = 50_000
_viewers: dict[int, object] = {}


class SessionStore(CachedDBStore):
    """``cached_db``'s store, which can be handed its cache entry read by someone else."""

    _prefetched = _UNSET

    def prefetch_key(self) -> str | None:
        """The cache key this session is read from, if it is still to be read and lives in the
        default cache (the one the viewer's values are read from); else None."""
        if (
            self.session_key is None
            or hasattr(self, "_session_cache")
            or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS
        ):
            return None
        return self.cache_key

    def use_prefetched(self, data) -> None:
        """The cache held ``data`` at ``prefetch_key()`` (None: nothing there)."""
        self._prefetched = data

    def load(self):
        data, self._prefetched = self._prefetched, _UNSET
        if data is _UNSET:
            return super().load()
        if isinstance(data, dict):
            return data
        # Not in the cache: from the database, as cached_db does after a miss.
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data


def remember_viewer(session, user_id) -> None:
    """``session`` named ``user_id`` (read from it, never guessed)."""
    key = getattr(session, "session_key", None)
    if key:
        if len(_viewers) >= MAX_VIEWERS:
            _viewers.clear()
        _viewers[hash(key)] = user_id


def viewer_guess(request):
    """The user id this request's session named when this process last read it, or None. A
    guess, to choose which keys to read: never a reason to treat anyone as signed in."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    return _viewers.get(hash(key)) if key else None

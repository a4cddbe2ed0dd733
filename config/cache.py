"""A Redis cache that degrades to "miss" while Redis is unreachable.

Nothing the site keeps in the cache is the only copy of anything (coalescing marks, the week
banner, Wagtail's site roots, rate-limit counters), so when Redis is down or frozen a cache call
behaves as if the key were absent and is not stored: ``get`` returns the default, ``add``
succeeds, writes are dropped. Pages and writes keep working; only what the cache saves is lost.

- Short socket timeouts (``socket_connect_timeout``/``socket_timeout`` in ``OPTIONS``) bound a
  call to a frozen server; a stale pooled connection after a restart is retried once at once.
- A circuit breaker shared by every thread of the process: after a failure, calls skip Redis for
  ``FAILURE_PAUSE`` seconds, so an outage costs one timeout per pause, not one per call. The next
  call after the pause is the probe; ``health_check`` (``/healthz``) always probes.
- Keys written or deleted during the outage are deleted once Redis answers again, so a server
  that only lost its network does not serve values the site invalidated meanwhile.
- One warning per ``LOG_INTERVAL`` seconds while down, one line when it answers again.

Rate limits fail open: allauth's limits and its TOTP replay guard see an empty history (``add``
succeeding is also what lets allauth's cache lock proceed instead of refusing every sign-in).
A per-process fallback was the alternative; behind a load balancer it would allow workers times
the limit and forget it at each restart, a limit nobody can reason about. An outage is short,
logged and reported by ``/healthz``; the limits hold again as soon as Redis is back.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# Keys remembered for deletion after the outage; beyond this, the rest expire by their timeouts.
MAX_STALE_KEYS = 10_000
_MISSING = object()


class CircuitBreaker:
    """Whether Redis at one location is worth calling, shared by the process's threads."""

    def __init__(self, location: str, *, pause: float, log_interval: float):
        self.location = location
        self.pause = pause
        self.log_interval = log_interval
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.down = False
        self.last_logged = float("-inf")
        self.stale_keys: set[str] = set()

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def remember(self, stale: list[str]) -> None:
        """Keys written or deleted while Redis is unreachable, deleted when it answers again."""
        if stale:
            with self.lock:
                room = MAX_STALE_KEYS - len(self.stale_keys)
                self.stale_keys.update(list(stale)[: max(room, 0)])

    def failed(self, error: Exception, stale: list[str] = ()) -> None:
        self.remember(stale)
        with self.lock:
            now = time.monotonic()
            self.open_until = now + self.pause
            self.down = True
            if now - self.last_logged < self.log_interval:
                return
            self.last_logged = now
        logger.warning(
            "The Redis cache at %s is unavailable (%s: %s); serving misses, next try in %g s.",
            self.location,
            error.__class__.__name__,
            error,
            self.pause,
        )

    def recovered(self) -> list[str]:
        """Close the breaker; return the keys to delete (once, to the first caller)."""
        if not self.down:
            return []
        with self.lock:
            if not self.down:
                return []
            self.down = False
            self.open_until = 0.0
            stale, self.stale_keys = list(self.stale_keys), set()
        logger.info("The Redis cache at %s answers again.", self.location)
        return stale


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, *, pause: float, log_interval: float) -> CircuitBreaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = CircuitBreaker(location, pause=pause, log_interval=log_interval)
        return _breakers[location]


def _without_password(url: str) -> str:
    # The location appears in log lines; a password in REDIS_URL must not.
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every call, and building one fills a table of about
    150 response callbacks: with a dozen cache reads per page that was a visible share of a
    page's time. A ``redis.Redis`` over a pool is safe to share between threads (each command
    takes a connection from the pool), so one per pool is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def _get_connection_pool(self, write):
        # As Django's, but threads racing for the first pool all get the same one.
        index = self._get_connection_pool_index(write)
        pool = self._pools.get(index)
        if pool is None:
            pool = self._pools.setdefault(
                index, self._pool_class.from_url(self._servers[index], **self._pool_options)
            )
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


# One client (its connection pools and ``redis.Redis`` objects) per process for each location and
# options, shared by every ``ResilientRedisCache`` made with them (see ``ResilientRedisCache``).
_clients: dict[tuple, "ReusingRedisCacheClient"] = {}
_clients_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that answers as a miss instead of raising when Redis is unreachable.

    Extra ``OPTIONS`` (the rest go to redis-py's connection pool): ``FAILURE_PAUSE`` (seconds
    Redis is skipped after a failure, default 5) and ``LOG_INTERVAL`` (default 60).

    Django keeps cache objects per context (``caches`` is an ``asgiref`` Local), and under ASGI
    every request runs in a context of its own: each request built a new backend, hence a new
    connection pool, and opened a new TCP connection to Redis (with its HELLO and CLIENT SETINFO
    round trips) for its first cache call. The client, which holds the pools, is therefore kept
    per process for a given location and options: every request's backend uses the same pooled
    connections. A pool is safe to share between threads, and redis-py makes a fresh one in a
    forked child.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # What the shared client is known by: the settings as written (before the retry objects
        # below, new on each call). An option whose repr names an object's address makes a key
        # of its own, so the worst case is a client per backend, as before.
        self._client_key = (repr(server), repr(sorted(options.items())))
        pause = float(options.pop("FAILURE_PAUSE", 5))
        log_interval = float(options.pop("LOG_INTERVAL", 60))
        # A pooled connection that died with the old server fails once; retry on a new one at
        # once. Only then: redis-py's default retry would also repeat a timed-out handshake,
        # doubling what each call to a frozen server costs.
        options.setdefault("retry_on_error", [RedisConnectionError])
        options.setdefault("retry", Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        location = ",".join(_without_password(url) for url in self._servers)
        self.breaker = breaker_for(location, pause=pause, log_interval=log_interval)

    @cached_property
    def _cache(self):
        client = _clients.get(self._client_key)
        if client is None:
            with _clients_lock:
                client = _clients.get(self._client_key)
                if client is None:
                    client = _clients[self._client_key] = self._class(
                        self._servers, **self._options
                    )
        return client

    def _call(self, default, method, *args, stale=()):
        if not self.breaker.allows():
            self.breaker.remember(stale)
            return default
        try:
            result = method(*args)
        except UNAVAILABLE as error:
            self.breaker.failed(error, stale)
            return default
        self._forget_stale(self.breaker.recovered())
        return result

    def _forget_stale(self, keys: list[str]) -> None:
        if not keys:
            return
        try:
            self._cache.delete_many(keys)
        except UNAVAILABLE as error:
            self.breaker.failed(error, keys)

    def health_check(self) -> None:
        """Ping Redis past the breaker (raises if it does not answer); closes the breaker."""
        try:
            self._cache.get_client(write=True).ping()
        except UNAVAILABLE as error:
            self.breaker.failed(error)
            raise
        self._forget_stale(self.breaker.recovered())

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # "Absent, so added" is what a miss means; it also keeps allauth's lock from spinning.
        return self._call(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        stale = [self.make_and_validate_key(key, version=version)]
        self._call(None, super().set, key, value, timeout, version, stale=stale)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        stale = [self.make_and_validate_key(key, version=version)]
        return self._call(False, super().delete, key, version, stale=stale)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call(_MISSING, super().incr, key, delta, version)
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        stale = [self.make_and_validate_key(key, version=version) for key in data]
        return self._call([], super().set_many, data, timeout, version, stale=stale)

    def delete_many(self, keys, version=None):
        stale = [self.make_and_validate_key(key, version=version) for key in keys]
        return self._call(None, super().delete_many, keys, version, stale=stale)

    def clear(self):
        return self._call(False, super().clear)

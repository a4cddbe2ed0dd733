"""The Redis cache's connections are shared by every request of a process (config/cache.py).

Django keeps cache objects per context and, under ASGI, every request runs in a context of its
own, so each request built a new backend. Each backend used to bring its own connection pool: a
new TCP connection to Redis (and its handshake) for every request that read the cache.
"""

import contextvars

import redis
from django.core.cache import CacheHandler

from config.cache import ResilientRedisCache
from tests.support.redis_server import redis_server  # noqa: F401 (a fixture)

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "FAILURE_PAUSE": 5}


def backend(url: str, **options) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"OPTIONS": {**OPTIONS, **options}})


def test_backends_with_the_same_settings_share_one_client_and_pool():
    url = "redis://127.0.0.1:1/3"  # never connected to: building a client opens nothing
    one, two = backend(url), backend(url)
    assert one is not two
    assert one._cache is two._cache
    assert one._cache.get_client() is two._cache.get_client()
    assert one._cache._get_connection_pool(False) is two._cache._get_connection_pool(True)


def test_other_settings_get_a_client_of_their_own():
    url = "redis://127.0.0.1:1/3"
    shared = backend(url)._cache
    assert backend("redis://127.0.0.1:1/4")._cache is not shared
    assert backend(url, socket_timeout=2)._cache is not shared
    assert backend(url, FAILURE_PAUSE=1)._cache is not shared


def requests_caches(handler: CacheHandler, count: int) -> list:
    """The ``default`` cache as ``count`` ASGI requests see it: each in a context of its own."""
    return [contextvars.Context().run(lambda: handler["default"]) for _ in range(count)]


def test_requests_in_contexts_of_their_own_use_one_connection(redis_server):  # noqa: F811
    handler = CacheHandler(
        {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": redis_server.url}}
    )
    caches = requests_caches(handler, 5)
    assert len({id(cache) for cache in caches}) == 5  # a backend per request, as Django makes
    for i, cache in enumerate(caches):
        cache.set(f"k{i}", i)
        assert cache.get_many([f"k{i}", "absent"]) == {f"k{i}": i}
    watcher = redis.Redis.from_url(redis_server.url)
    try:
        others = [c for c in watcher.client_list() if c["cmd"] != "client|list"]
    finally:
        watcher.close()
    assert len(others) == 1  # five requests, one pooled connection (five before)

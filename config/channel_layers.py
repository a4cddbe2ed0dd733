"""The Redis channel layer with a bounded connection pool that waits instead of failing."""

from channels_redis import core
from redis.asyncio import BlockingConnectionPool


class RedisChannelLayer(core.RedisChannelLayer):
    """channels-redis's layer whose per-event-loop pool holds at most ``pool_max_connections``.

    channels-redis 4.3 builds a plain ``ConnectionPool``: redis-py 8 caps it at 100 connections
    and raises "Too many connections" beyond, so a storm of sockets joining groups at once fails
    some of them. A ``BlockingConnectionPool`` makes the extra callers wait up to
    ``pool_timeout`` seconds for a free connection instead (each command takes a fraction of a
    millisecond). The class keeps channels-redis's name, as logs and checks name it.

    Hosts given as a URL (``address``) get the blocking pool; other host forms (Sentinel) keep
    channels-redis's own pool.
    """

    def __init__(self, *args, pool_max_connections: int = 50, pool_timeout: float = 10, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool_max_connections = pool_max_connections
        self.pool_timeout = pool_timeout

    def create_pool(self, index):
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        if address is None:
            return super().create_pool(index)
        return BlockingConnectionPool.from_url(
            address,
            max_connections=self.pool_max_connections,
            timeout=self.pool_timeout,
            **host,
        )

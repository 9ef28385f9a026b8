"""The Redis channel layer with a bounded connection pool per server process.

channels_redis opens a new Redis connection whenever all of its pool's are busy, without limit:
under load a process opened hundreds and Redis refused more. Here each event loop's pool holds at
most REDIS_MAX_CONNECTIONS, and a caller waits (up to REDIS_POOL_TIMEOUT seconds) for a free one.
"""

from channels_redis.core import RedisChannelLayer
from django.conf import settings
from redis.asyncio import BlockingConnectionPool


class BoundedRedisChannelLayer(RedisChannelLayer):
    def create_pool(self, index):
        host = dict(self.hosts[index])
        address = host.pop("address")
        host.setdefault("max_connections", settings.REDIS_MAX_CONNECTIONS)
        host.setdefault("timeout", settings.REDIS_POOL_TIMEOUT)
        return BlockingConnectionPool.from_url(address, **host)

"""Who has the app open: a counter of open sockets per user in the cache (Redis in production,
shared by every process), kept alive by the sockets' 30-second pings. A socket that dies without
closing stops counting once the key expires."""

from django.core.cache import cache

TTL = 90  # seconds: three missed pings


def _key(user_id) -> str:
    return f"presence:{user_id}"


async def connected(user_id) -> None:
    key = _key(user_id)
    if not await cache.aadd(key, 1, TTL):
        try:
            await cache.aincr(key)
        except ValueError:  # expired in between
            await cache.aset(key, 1, TTL)
    await cache.atouch(key, TTL)


async def disconnected(user_id) -> None:
    key = _key(user_id)
    try:
        if await cache.adecr(key) <= 0:
            await cache.adelete(key)
    except ValueError:
        pass


async def seen(user_id) -> None:
    await cache.atouch(_key(user_id), TTL)


def is_online(user_id) -> bool:
    return (cache.get(_key(user_id)) or 0) > 0

"""Django's Redis cache, failing open: the cache holds counters and hints (rate limits, sign-in
slow-down, socket re-check), never data. If Redis goes away, reads miss and writes are dropped
(logged once a minute), so pages, the API and message sending keep working; the counters
resume when Redis returns."""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(exc) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("Redis cache unavailable, failing open: %s", exc)


def _fail_open(method, fallback):
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            _warn(exc)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = method.__name__
    return wrapper


def _default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    get = _fail_open(RedisCache.get, _default)
    get_many = _fail_open(RedisCache.get_many, lambda *a, **k: {})
    has_key = _fail_open(RedisCache.has_key, False)
    add = _fail_open(RedisCache.add, False)
    set = _fail_open(RedisCache.set, None)
    set_many = _fail_open(RedisCache.set_many, lambda data, *a, **k: list(data))
    touch = _fail_open(RedisCache.touch, False)
    delete = _fail_open(RedisCache.delete, False)
    delete_many = _fail_open(RedisCache.delete_many, None)
    clear = _fail_open(RedisCache.clear, None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            _warn(exc)
            return delta

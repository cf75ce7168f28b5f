"""The shared cache (Redis) as something the site can live without.

Redis holds what app servers share: rate-limit counters, cached sessions, cached figures. None of
it is the only copy of anything (sessions are also in the database, figures are recomputed), so
when Redis is unreachable the site must keep serving: a read is a miss, a write is dropped, and
rate limits stop counting until it is back. After a failure the cache is not asked again for
``RETRY_AFTER_SECONDS``, so that an outage costs one connection timeout per process, not one per
call.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER_SECONDS = 5.0


def degrading(default_of):
    """Run the cache call; if Redis is down, log it and answer ``default_of(*args, **kwargs)``."""

    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < self.down_until:
                return default_of(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                if not self.down_until:
                    logger.warning("The cache (Redis) is unavailable; serving without it: %s", error)
                self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
                return default_of(*args, **kwargs)

        return call

    return decorate


def returns(value):
    return lambda *args, **kwargs: value


def the_default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, serving misses instead of errors while Redis is down."""

    down_until = 0.0

    get = degrading(the_default)(RedisCache.get)
    get_many = degrading(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = degrading(returns(False))(RedisCache.has_key)
    set = degrading(returns(None))(RedisCache.set)
    set_many = degrading(lambda *args, **kwargs: [])(RedisCache.set_many)
    add = degrading(returns(False))(RedisCache.add)
    touch = degrading(returns(False))(RedisCache.touch)
    delete = degrading(returns(False))(RedisCache.delete)
    delete_many = degrading(returns(None))(RedisCache.delete_many)
    clear = degrading(returns(None))(RedisCache.clear)

    def is_available(self) -> bool:
        """For /healthz: whether Redis answers now (a real round trip, whatever the back-off)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNAVAILABLE:
            return False
        self.down_until = 0.0
        return True

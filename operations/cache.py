"""A Redis cache that answers "miss" instead of failing when Redis is unreachable.

Django's RedisCache raises redis.ConnectionError on a closed port, which would turn a page into a 500;
the cache is an optimisation, so a fault degrades to a miss and is logged.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_soft(default):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("Redis cache unavailable (%s): %s", method.__name__, error)
                return default() if callable(default) else default

        return call

    return wrap


class FailSoftRedisCache(RedisCache):
    get_many = _fail_soft(dict)(RedisCache.get_many)
    has_key = _fail_soft(False)(RedisCache.has_key)
    add = _fail_soft(False)(RedisCache.add)
    set = _fail_soft(None)(RedisCache.set)
    set_many = _fail_soft(list)(RedisCache.set_many)
    touch = _fail_soft(False)(RedisCache.touch)
    delete = _fail_soft(False)(RedisCache.delete)
    delete_many = _fail_soft(None)(RedisCache.delete_many)
    clear = _fail_soft(False)(RedisCache.clear)

    def get(self, key, default=None, version=None):
        # Not via _fail_soft: a miss must return the caller's default.
        try:
            return super().get(key, default, version)
        except RedisError as error:
            logger.warning("Redis cache unavailable (get): %s", error)
            return default

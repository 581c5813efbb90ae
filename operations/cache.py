"""A Redis cache that answers "miss" instead of failing when Redis is unreachable, and stops asking a dead one.

Django's RedisCache raises redis.ConnectionError on a closed port, which would turn a page into a 500; the cache is
an optimisation, so a fault degrades to a miss and is logged. A Redis that hangs (no refusal, just silence) costs
the socket timeout on every call, several per page; so after a fault a breaker stays open for `breaker_seconds`
(the OPTIONS key of the cache, REDIS_CACHE_BREAKER_SECONDS) and every call answers at once as a miss, without
asking Redis. The first call after that asks again: an answer closes the breaker, a fault opens it again.
The breaker is per process and per Redis location, shared by the threads of a process.

Django's Redis client builds a new `redis.Redis` for every cache call; with redis-py 6 that costs about 0.3 ms
(it fills its command-callback tables each time), more than the round trip itself, several times per page. A
`redis.Redis` holds no connection of its own (its pool does) and is safe to share between threads, so the cache
keeps one per connection pool (`ReusedRedisCacheClient`).
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_BREAKER_SECONDS = 30


class Breaker:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, method: str, error: Exception) -> None:
        with self._lock:
            was_closed = not self.is_open()
            self._open_until = time.monotonic() + self.seconds
        if was_closed:
            logger.warning("Redis cache unavailable (%s): %s; not asked for %s s", method, error, self.seconds)


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str, seconds: float) -> Breaker:
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None or breaker.seconds != seconds:
            breaker = _breakers[location] = Breaker(seconds)
        return breaker


def _fail_soft(default):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self.breaker.is_open():
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self.breaker.trip(method.__name__, error)
                return default() if callable(default) else default

        return call

    return wrap


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` per connection pool instead of a new one per call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            self._clients[index] = self._client(connection_pool=self._pools[index])
        return self._clients[index]


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        seconds = options.pop("breaker_seconds", DEFAULT_BREAKER_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedRedisCacheClient
        self.breaker = _breaker_for(str(server), seconds)

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
        if self.breaker.is_open():
            return default
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self.breaker.trip("get", error)
            return default

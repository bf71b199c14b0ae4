"""Django's Redis cache, with one Redis client per connection pool instead of one per operation.

    CACHES["default"] = {"BACKEND": "koproduktion.core.redis_cache.RedisCache", "LOCATION": url}

Django's client makes a new ``redis.Redis`` for every get, set or delete. redis-py fills each new
client's table of reply callbacks (some 170 entries, case-insensitively), which costs about as
much CPU as the app's side of the operation itself: some 70 µs on a machine where a ``GET``
takes 120 µs there and back. A logged-in request makes a few of them (its session, the roles,
the counts). A ``redis.Redis`` holds no connection of its own (each command borrows one from
the pool, which notices a fork), so one per pool serves every thread of a process.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Pools are kept for the process's life, so their ids are never reused here.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client

"""The Redis cache backend keeps one Redis client per connection pool (core/redis_cache.py)."""

from __future__ import annotations

import os
import threading

import redis

from koproduktion.core.redis_cache import RedisCache
from koproduktion.core.tests.redis_support import REDIS_URL


def test_one_client_serves_every_operation_of_every_thread(redis_prefix):
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_prefix})
    made = []

    class Counted(redis.Redis):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    cache._cache._client = Counted
    cache.set("page", {"title": "Radweg"}, 60)
    assert cache.get("page") == {"title": "Radweg"}
    assert cache.add("count", 1, 60)
    assert cache.incr("count") == 2
    errors = []

    def write(n: int) -> None:
        try:
            for k in range(20):
                cache.set(f"t{n}:{k}", k, 60)
                assert cache.get(f"t{n}:{k}") == k
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cache.delete_many(["page", "count"])
    assert cache.get("page") is None
    assert len(made) == 1


def test_a_forked_process_gets_its_own_connections(redis_prefix):
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_prefix})
    cache.set("before", "parent", 60)  # the parent's client and pool exist before the fork
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child, as a gunicorn worker forked from a preloaded app
        try:
            cache.set("child", "written", 60)
            os.write(write, str(cache.get("before")).encode())
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    os.close(write)
    assert os.read(read, 100) == b"parent"
    assert cache.get("child") == "written"
    assert cache.get("before") == "parent"

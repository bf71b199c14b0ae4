"""The caches, from ``REDIS_URL``: one for the visitors' pages, one for the rate limits.

The two never share a store. The page cache takes a copy of every page a visitor asks for and
drops the oldest when it is full; counters kept beside it would be dropped with them, and a
limit would lift. So the rate limits have a cache of their own (alias ``ratelimit``), shared by
every app process:

- with ``REDIS_URL``: Redis, under the key prefix ``ratelimit`` (the pages have none);
- without: the database (``core.counter_cache.DatabaseCounterCache``, a table of its own).

The page cache is Redis with ``REDIS_URL`` and each process's local memory without; a page's
content version is read from the database on every request, so neither can serve a stale page.
"""

from __future__ import annotations

RATE_LIMIT_CACHE = "ratelimit"
REDIS_BACKEND = "koproduktion.core.redis_cache.RedisCache"


def cache_settings(redis_url: str, *, key_prefix: str = "") -> dict[str, dict[str, object]]:
    """``CACHES`` for the given ``REDIS_URL`` ("" for none); ``key_prefix`` goes before both."""
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            RATE_LIMIT_CACHE: {"BACKEND": "koproduktion.core.counter_cache.DatabaseCounterCache"},
        }
    return {
        "default": {"BACKEND": REDIS_BACKEND, "LOCATION": redis_url, "KEY_PREFIX": key_prefix},
        RATE_LIMIT_CACHE: {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": redis_url,
            "KEY_PREFIX": f"{key_prefix}:ratelimit" if key_prefix else "ratelimit",
        },
    }

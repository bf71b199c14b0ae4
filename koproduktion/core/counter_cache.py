"""A cache of integer counters in the database: the rate limits' store without Redis.

    CACHES["ratelimit"] = {"BACKEND": "koproduktion.core.counter_cache.DatabaseCounterCache"}

The counters live in the table of ``core.RateCounter``, created by a migration. Every app process
that uses the database shares them (also on several machines), and nothing else writes there:
the visitors' page cache cannot evict them. ``add`` and ``incr`` are one SQL statement each
(``INSERT … ON CONFLICT``, ``UPDATE … RETURNING``; PostgreSQL, and SQLite from 3.35), so
concurrent requests in any number of processes never lose a count. Django's own
``DatabaseCache`` stores pickled values and increments with a read and a write, which two
processes can interleave; that is why this is not it.

Called inside a transaction (the services count in theirs), a count belongs to that transaction:
it is kept when the write it guards is, and the row stays locked until then, so the attempts of
one account or address queue there instead of overtaking each other.

Only integers are stored. Expired rows count as absent; a process deletes them at most once a
minute, when it adds a counter.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router, transaction

from .models import RateCounter

# A timeout of None keeps a counter for good; the table stores a moment, so: far in the future.
FOREVER = 2.0**62
CULL_INTERVAL = 60.0


class DatabaseCounterCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._next_cull = 0.0

    # -- plumbing --------------------------------------------------------------------------

    @staticmethod
    def database() -> str:
        """The alias of the database the counters live in."""
        return router.db_for_write(RateCounter)

    def _execute(self, sql: str, params: list[Any]) -> tuple[int, tuple | None]:
        """Run one statement on the counters' database; the row count and the first row."""
        connection = connections[self.database()]
        table = connection.ops.quote_name(RateCounter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=table), params)
            row = cursor.fetchone() if cursor.description else None
            return cursor.rowcount, row

    def _expires(self, timeout: Any) -> float:
        moment = self.get_backend_timeout(timeout)
        return FOREVER if moment is None else moment

    @staticmethod
    def _count(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"DatabaseCounterCache stores integers only, not {value!r}.")
        return value

    def _cull(self, now: float) -> None:
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_INTERVAL
        self._execute("DELETE FROM {table} WHERE expires <= %s", [now])

    # -- the cache interface ---------------------------------------------------------------

    def add(self, key: str, value: int, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        """Create the counter unless a live one exists; True if this call created it."""
        key = self.make_and_validate_key(key, version=version)
        now = time.time()
        self._cull(now)
        # An expired row is taken over, as if it were absent.
        changed, _row = self._execute(
            "INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
            "expires = excluded.expires WHERE {table}.expires <= %s",
            [key, self._count(value), self._expires(timeout), now],
        )
        return changed > 0

    def add_or_incr_many(self, items: list[tuple[str, int]]) -> list[int]:
        """For each (key, timeout): raise the live counter by one, or start it at 1.

        One statement per counter and, outside a transaction, one commit for all of them (a
        commit costs more than the statements). Their values after it, in order.
        """
        now = time.time()
        self._cull(now)
        counts = []
        with transaction.atomic(using=self.database(), savepoint=False):
            for key, timeout in items:
                _changed, row = self._execute(
                    "INSERT INTO {table} (cache_key, value, expires) VALUES (%s, 1, %s) "
                    "ON CONFLICT (cache_key) DO UPDATE SET "
                    "value = CASE WHEN {table}.expires <= %s THEN 1 ELSE {table}.value + 1 END, "
                    "expires = CASE WHEN {table}.expires <= %s THEN excluded.expires "
                    "ELSE {table}.expires END "
                    "RETURNING value",
                    [self.make_and_validate_key(key), self._expires(timeout), now, now],
                )
                counts.append(row[0])
        return counts

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        _changed, row = self._execute(
            "UPDATE {table} SET value = value + %s WHERE cache_key = %s AND expires > %s "
            "RETURNING value",
            [self._count(delta), key, time.time()],
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found.")
        return row[0]

    def get(self, key: str, default: Any = None, version=None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        _changed, row = self._execute(
            "SELECT value FROM {table} WHERE cache_key = %s AND expires > %s", [key, time.time()]
        )
        return default if row is None else row[0]

    def set(self, key: str, value: int, timeout: Any = DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._execute(
            "INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
            "expires = excluded.expires",
            [key, self._count(value), self._expires(timeout)],
        )

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        changed, _row = self._execute(
            "UPDATE {table} SET expires = %s WHERE cache_key = %s AND expires > %s",
            [self._expires(timeout), key, time.time()],
        )
        return changed > 0

    def delete(self, key: str, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        changed, _row = self._execute("DELETE FROM {table} WHERE cache_key = %s", [key])
        return changed > 0

    def clear(self) -> None:
        self._execute("DELETE FROM {table}", [])

"""``DATABASES["default"]`` from ``DATABASE_URL``, with SQLite set up for concurrent writers.

SQLite as Django opens it by default fails under concurrent writes: its transactions begin
DEFERRED, as readers, and a reader that then writes while another connection holds the write
lock gets "database is locked" at once — SQLite does not wait there, since two readers waiting
to write would wait for each other forever. Every app process and thread (gunicorn's workers,
runserver's threads, the task worker) has its own connection, so two people posting at the
same moment made one of them a 500. So, for SQLite:

- ``transaction_mode: IMMEDIATE`` — every ``transaction.atomic`` takes the write lock at its
  BEGIN, before it reads, so writers queue for the lock instead of failing;
- ``timeout`` — how long a writer waits in that queue (SQLite's busy timeout), below gunicorn's
  worker timeout of 30 seconds, so a request that waits too long still gets an answer;
- ``journal_mode=WAL`` — readers read a snapshot while a writer writes, and neither waits for
  the other; stored in the database file, so it is set once and kept;
- ``synchronous=NORMAL`` — in WAL mode the commit skips its flush to disk, the checkpoint does
  it: the database stays intact also after a power cut, which may take back the last commits
  before it (a crash of the app loses nothing).

Statements outside ``transaction.atomic`` stay in autocommit; reads do not take the write lock.
PostgreSQL needs none of this (row locks, MVCC).
"""

from __future__ import annotations

from typing import Any

import dj_database_url

SQLITE_TIMEOUT = 20  # seconds a writer waits for the lock
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


def database_settings(url: str, *, conn_max_age: int) -> dict[str, Any]:
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_TIMEOUT,
            "init_command": SQLITE_PRAGMAS,
            **config.get("OPTIONS", {}),
        }
    return config

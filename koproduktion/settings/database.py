"""``DATABASES`` from ``DATABASE_URL`` (and the read replicas from ``DATABASE_REPLICA_URL``), with
SQLite set up for concurrent writers.

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
from django.core.exceptions import ImproperlyConfigured

SQLITE_TIMEOUT = 20  # seconds a writer waits for the lock
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
POSTGRESQL = "django.db.backends.postgresql"
# On PostgreSQL, statements run this often on one connection are prepared (psycopg's default):
# parsed and planned once, which halves what the database spends on the short, frequent ones.
PREPARE_THRESHOLD = 5


def database_settings(
    url: str, *, conn_max_age: int, prepared_statements: bool = True
) -> dict[str, Any]:
    """``DATABASES["default"]`` for ``url``; on PostgreSQL, ``prepared_statements`` binds
    parameters on the server, so that psycopg prepares what a connection runs often (off behind
    a pooler that hands one connection to several clients by transaction, such as PgBouncer's
    transaction mode, which cannot keep them)."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == POSTGRESQL and prepared_statements:
        config["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": PREPARE_THRESHOLD,
            **config.get("OPTIONS", {}),
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_TIMEOUT,
            "init_command": SQLITE_PRAGMAS,
            **config.get("OPTIONS", {}),
        }
    return config


# Seconds to wait for a replica's connection: one that does not answer is left out for a while
# and its reads go to the primary (core/db_router.py), so a request never waits for it long.
REPLICA_CONNECT_TIMEOUT = 3


def replica_settings(
    urls: list[str],
    *,
    primary: dict[str, Any],
    conn_max_age: int,
    prepared_statements: bool = True,
) -> dict[str, dict[str, Any]]:
    """``DATABASES`` entries for the read replicas in ``DATABASE_REPLICA_URL`` (comma-separated):
    aliases ``replica``, ``replica2``, … in the order given.

    A replica is a PostgreSQL standby of the primary (streaming replication), so both must be
    PostgreSQL; a URL of another kind or without a database name is refused here, in every
    environment. Tests read the primary in its place (``TEST["MIRROR"]``): a standby is read-only.
    """
    replicas: dict[str, dict[str, Any]] = {}
    if urls and primary["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL in DATABASE_URL: replicas are standbys of a "
            "PostgreSQL primary."
        )
    for number, url in enumerate(urls, start=1):
        alias = "replica" if number == 1 else f"replica{number}"
        try:
            config = database_settings(
                url, conn_max_age=conn_max_age, prepared_statements=prepared_statements
            )
        except ValueError as error:  # dj_database_url's errors for an unknown scheme and the like
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URL: {url!r} is not a database URL ({error})."
            ) from error
        if config["ENGINE"] != POSTGRESQL or not config.get("NAME"):
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URL must give each replica as postgres://user:password@host:"
                f"port/database, like DATABASE_URL; not {url!r}."
            )
        config["OPTIONS"] = {
            "connect_timeout": REPLICA_CONNECT_TIMEOUT,
            **config.get("OPTIONS", {}),
        }
        config["TEST"] = {"MIRROR": "default"}
        replicas[alias] = config
    return replicas


def seconds_setting(name: str, value: str) -> int:
    """A whole number of seconds, at least one."""
    try:
        seconds = int(value)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, at least 1.")
    return seconds

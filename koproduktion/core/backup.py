"""Backing up and restoring the whole database (``manage.py backup`` and ``manage.py restore``).

PostgreSQL: ``pg_dump`` in its custom format and ``pg_restore``, without owners and privileges,
so a dump restores under another database user. SQLite: the database's online backup API
(``sqlite3.Connection.backup``), which copies a consistent state while the site keeps running.

A backup is written beside its target and renamed into place when complete, so a failed run never
replaces the previous good one. A restore goes into an empty database; over one that holds tables
it only runs with ``force``, and then replaces everything in it. The uploaded files
(``MEDIA_ROOT``) are not in the database: docs/deploy.md says how to back them up.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connections

POSTGRES_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"
TIMEOUT = 6 * 3600  # seconds; a dump of a large installation takes a while, not forever


class BackupError(Exception):
    """Why a backup or a restore did not happen, as an operator should read it."""


def backup(*, path: Path, alias: str = "default") -> None:
    """Write the database of ``alias`` to ``path`` (replacing a file there only when complete)."""
    connection = connections[alias]
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", _database_name(alias)], alias=alias)  # fmt: skip
        elif connection.vendor == "sqlite":
            if not Path(_database_name(alias)).is_file():
                raise BackupError(f"Die Datenbank {_database_name(alias)} gibt es nicht.")
            with closing(_sqlite(alias)) as source, closing(sqlite3.connect(partial)) as target:
                source.backup(target)
        else:
            raise BackupError(
                f"Sicherungen gibt es für PostgreSQL und SQLite, nicht für {connection.vendor}."
            )
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(*, path: Path, alias: str = "default", force: bool = False) -> int:
    """Load the backup at ``path`` into the database of ``alias``; the number of tables it holds.

    Refuses a database that already holds tables unless ``force`` is set.
    """
    connection = connections[alias]
    if not path.is_file():
        raise BackupError(f"Die Sicherung {path} gibt es nicht.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    expected = {"postgresql": POSTGRES_MAGIC, "sqlite": SQLITE_MAGIC}.get(connection.vendor)
    if expected is None or not head.startswith(expected):
        kind = (
            "PostgreSQL"
            if head.startswith(POSTGRES_MAGIC)
            else "SQLite"
            if head.startswith(SQLITE_MAGIC)
            else "unbekannt"
        )
        raise BackupError(
            f"{path} ist keine Sicherung für diese Datenbank ({connection.vendor}); "
            f"die Datei ist: {kind}. Eine Sicherung lässt sich nur in dieselbe Art Datenbank zurückspielen."
        )
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"Die Datenbank {_database_name(alias)} ist nicht leer ({len(tables)} Tabellen). "
            "Spielen Sie die Sicherung in eine leere Datenbank zurück, oder ersetzen Sie mit "
            "--force alles, was in dieser steht."
        )
    if connection.vendor == "postgresql":
        if tables:
            with connection.cursor() as cursor:
                quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
                cursor.execute(f"DROP TABLE {quoted} CASCADE")
        connection.close()
        # --clean also drops what the tables do not take along: functions of triggers (the
        # administration log's), sequences of the backup's own.
        clean = ["--clean", "--if-exists"] if tables else []
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *clean,
              "--single-transaction", f"--dbname={_database_name(alias)}", str(path)], alias=alias)  # fmt: skip
    else:
        connection.close()
        # The backup API replaces every page of the target, so what was there is gone.
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        with closing(source), closing(_sqlite(alias)) as target:
            source.backup(target)
    return len(connection.introspection.table_names())


def _database_name(alias: str) -> str:
    return str(connections[alias].settings_dict["NAME"])


def _sqlite(alias: str) -> sqlite3.Connection:
    return sqlite3.connect(_database_name(alias))


def _run(command: list[str], *, alias: str) -> None:
    """A PostgreSQL client program, connected as Django is; the password goes by environment."""
    config = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD")):  # fmt: skip
        if config.get(key):
            env[variable] = str(config[key])
    if sslmode := config.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL program with fixed arguments
            command, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} fehlt; es gehört zu den PostgreSQL-Client-Programmen "
            "(Debian: postgresql-client, in der Version des Servers oder neuer)."
        ) from missing
    if result.returncode != 0:
        raise BackupError(f"{command[0]} ist gescheitert:\n{result.stderr.strip()}")

"""``manage.py backup`` and ``manage.py restore``: a round trip gives back every row.

Run against the database the tests run on (SQLite, or PostgreSQL with ``DATABASE_URL``), in
scratch databases beside the test database, through ``manage.py`` as an operator would.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from .test_settings import _manage


def _snapshot(database_url: str) -> dict[str, tuple[int, str]]:
    """Every table: its number of rows and a checksum of all of them."""
    if urlsplit(database_url).scheme == "sqlite":
        connection = sqlite3.connect(urlsplit(database_url).path)
        tables_sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        import psycopg  # noqa: PLC0415 - only on PostgreSQL

        connection = psycopg.connect(database_url)
        tables_sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    with closing(connection):
        tables = sorted(row[0] for row in connection.execute(tables_sql))
        snapshot = {}
        for table in tables:
            rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))  # noqa: S608 - names from the catalogue
            snapshot[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return snapshot


def _ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_backup_restores_every_row_of_every_table(scratch_database, tmp_path):
    source = {"DATABASE_URL": scratch_database("backup_source")}
    target = {"DATABASE_URL": scratch_database("backup_target")}
    archive = str(tmp_path / "koproduktion.backup")
    _ok(_manage("migrate", "--noinput", env=source))
    _ok(_manage("seed_demo", env=source))
    _ok(_manage("backup", archive, env=source))

    assert "Zurückgespielt" in _ok(_manage("restore", archive, env=target))

    original = _snapshot(source["DATABASE_URL"])
    assert original["ideas_idea"][0] > 0  # the demo town is there to compare
    assert original["accounts_user"][0] > 0
    assert _snapshot(target["DATABASE_URL"]) == original


def test_restore_refuses_a_database_with_tables_unless_forced(scratch_database, tmp_path):
    source = {"DATABASE_URL": scratch_database("backup_source")}
    target = {"DATABASE_URL": scratch_database("backup_target")}
    archive = str(tmp_path / "koproduktion.backup")
    _ok(_manage("migrate", "--noinput", env=source))
    _ok(_manage("backup", archive, env=source))
    _ok(_manage("migrate", "--noinput", env=target))
    _ok(_manage("seed_demo", env=target))  # a database in use
    in_use = _snapshot(target["DATABASE_URL"])

    refused = _manage("restore", archive, env=target)
    assert refused.returncode != 0
    assert "nicht leer" in refused.stderr
    assert "--force" in refused.stderr
    assert _snapshot(target["DATABASE_URL"]) == in_use

    _ok(_manage("restore", "--force", archive, env=target))
    assert _snapshot(target["DATABASE_URL"]) == _snapshot(source["DATABASE_URL"])


def test_restore_refuses_a_file_that_is_no_backup_of_this_kind_of_database(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    with pytest.raises(CommandError, match="keine Sicherung"):
        call_command("restore", str(notes))
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("restore", str(tmp_path / "missing.backup"))

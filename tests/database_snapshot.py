"""The demo town seeded once per test run, and put back for each test that needs it.

Seeding Musterstadt writes a year of a town's life (ideas, comments, ballots, photos, events) and
takes 15–25 seconds; the browser tests each need the whole town, untouched by the test before
them. So the first of them seeds it, and a ``Snapshot`` keeps every table's rows and the photos
the seed stored; each later test gets them back in well under a second:

- SQLite (the tests' in-memory database): SQLite's own backup copies the database page by page,
  into the snapshot and back;
- PostgreSQL: ``COPY … TO STDOUT`` of each table, and back with ``TRUNCATE`` and ``COPY … FROM
  STDIN`` in one transaction (Django's foreign keys are checked at its end), then the sequences
  are set past the highest ids, as ``loaddata`` does.

The tables are those Django's flush empties after each test; ``django_migrations`` stays.

The demo's dates are relative to the day it was seeded ("noch 12 Tage" to a deadline), so a
snapshot is of its day: ``taken_on``, the local date, and a run that passes midnight seeds again.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql


def _files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()} if root.is_dir() else set()


@dataclass
class Snapshot:
    """Every table's rows and the files written under ``MEDIA_ROOT`` while they were made."""

    taken_on: datetime.date = field(default_factory=timezone.localdate)
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: COPY's binary format
    media: dict[str, bytes] = field(default_factory=dict)  # by path under MEDIA_ROOT

    @classmethod
    def of(cls, make: Callable[[], None]) -> Snapshot:
        """Run ``make`` on the (empty) test database and keep what it wrote."""
        root = Path(settings.MEDIA_ROOT)
        before = _files(root)
        taken_on = timezone.localdate()
        make()
        snapshot = cls(
            taken_on=taken_on,
            media={
                str(path.relative_to(root)): path.read_bytes() for path in _files(root) - before
            },
        )
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            snapshot.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(snapshot.sqlite)
            return snapshot
        with connection.cursor() as cursor:
            for table in _tables():
                query = sql.SQL("COPY {} TO STDOUT (FORMAT BINARY)").format(sql.Identifier(table))
                with cursor.cursor.copy(query) as copy:
                    snapshot.tables[table] = b"".join(bytes(chunk) for chunk in copy)
        return snapshot

    @property
    def of_today(self) -> bool:
        return self.taken_on == timezone.localdate()

    def restore(self) -> None:
        """Put the database back as it was taken, whatever is in it now."""
        connection.ensure_connection()
        if self.sqlite is not None:
            self.sqlite.backup(connection.connection)
        else:
            self._restore_postgresql()
        # Django keeps the content types' ids in memory; the snapshot's may differ from those
        # the flush before this test made.
        ContentType.objects.clear_cache()
        root = Path(settings.MEDIA_ROOT)
        for name, content in self.media.items():
            path = root / name
            if not path.is_file() or path.read_bytes() != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)

    def _restore_postgresql(self) -> None:
        tables = _tables()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.Identifier, tables)))
            )
            for table, rows in self.tables.items():
                query = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(sql.Identifier(table))
                with cursor.cursor.copy(query) as copy:
                    copy.write(rows)
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def _tables() -> list[str]:
    """The tables Django's flush empties."""
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )

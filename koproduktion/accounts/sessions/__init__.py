"""Session engines that read a session with one hand-written query.

Every request of a logged-in person reads their session. Django's database engines build that
read with the ORM each time, which costs several times the query itself; these read the same
row of the same table with the same condition (not expired), so sessions, their cookies and
their data stay as Django's engines keep them. ``SESSION_ENGINE`` names the one in use:
``koproduktion.accounts.sessions`` (the database), ``koproduktion.accounts.sessions.cached``
(a shared cache in front of it: with Redis).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone

from koproduktion.accounts import backends
from koproduktion.core.rows import columns, from_row

_TABLE = Session._meta.db_table


def read_session(store: db.SessionStore) -> Session | None:
    """The store's session if it exists and has not expired (``db.SessionStore``'s read)."""
    connection = connections[router.db_for_read(Session)]
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns(Session, connection)} FROM {_TABLE} "  # noqa: S608 - names from the model
                "WHERE session_key = %s AND expire_date > %s",
                [store.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
    except SuspiciousOperation as error:
        logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
        row = None
    if row is None:
        store._session_key = None
        return None
    return from_row(Session, row, connection)


def current_backend(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` of a session with the log-in backend named as it is now: sessions made before
    the backend of ``accounts.backends`` name Django's, which it replaces."""
    if data.get(BACKEND_SESSION_KEY) == backends.DJANGO_PATH:
        data[BACKEND_SESSION_KEY] = backends.PATH
    return data


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        return read_session(self)

    def load(self) -> dict[str, Any]:
        return current_backend(super().load())

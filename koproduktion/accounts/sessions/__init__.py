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

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone

_TABLE = Session._meta.db_table


def read_session(store: db.SessionStore) -> Session | None:
    """The store's session if it exists and has not expired (``db.SessionStore``'s read)."""
    using = router.db_for_read(Session)
    try:
        found = list(
            Session.objects.db_manager(using).raw(
                f"SELECT session_key, session_data, expire_date FROM {_TABLE} "  # noqa: S608 - name from the model
                "WHERE session_key = %s AND expire_date > %s",
                [
                    store.session_key,
                    connections[using].ops.adapt_datetimefield_value(timezone.now()),
                ],
            )
        )
    except SuspiciousOperation as error:
        logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
        found = []
    if not found:
        store._session_key = None
        return None
    return found[0]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        return read_session(self)

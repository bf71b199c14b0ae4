"""The session engine with a shared cache in front of the database (``cached_db``), reading the
database as ``koproduktion.accounts.sessions`` does."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session

from . import current_backend, read_session


class SessionStore(cached_db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        return read_session(self)

    def load(self) -> dict[str, Any]:
        return current_backend(super().load())

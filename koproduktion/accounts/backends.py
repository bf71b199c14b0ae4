"""The log-in backend: Django's, reading the person of a session with one hand-written query.

Every request of a logged-in person reads them again (``django.contrib.auth.get_user``, which
then checks the session against their password). Django's backend builds that read with the
ORM each time, which costs more than the query; this reads the same row, every column, by its
primary key. Checking passwords, permissions and who may log in stay Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.core.exceptions import ValidationError
from django.db import connection, connections, router

from koproduktion.core.rows import columns, from_row

from .models import User

PATH = "koproduktion.accounts.backends.ModelBackend"
# The path sessions made before this backend name (accounts/sessions reads them as ``PATH``).
DJANGO_PATH = "django.contrib.auth.backends.ModelBackend"

_SQL = f"SELECT {columns(User, connection)} FROM {User._meta.db_table} WHERE {User._meta.pk.column} = %s"  # noqa: S608 - names from the model


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        using = router.db_for_read(User)
        with connections[using].cursor() as cursor:
            cursor.execute(_SQL, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = from_row(User, row, connections[using])
        return user if self.user_can_authenticate(user) else None

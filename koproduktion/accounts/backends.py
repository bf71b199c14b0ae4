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
from django.db import connection

from .models import User

PATH = "koproduktion.accounts.backends.ModelBackend"
# The path sessions made before this backend name (accounts/sessions reads them as ``PATH``).
DJANGO_PATH = "django.contrib.auth.backends.ModelBackend"

_COLUMNS = ", ".join(
    connection.ops.quote_name(field.column) for field in User._meta.concrete_fields
)
_SQL = f"SELECT {_COLUMNS} FROM {User._meta.db_table} WHERE {User._meta.pk.column} = %s"  # noqa: S608 - names from the model


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = list(User._default_manager.raw(_SQL, [pk]))
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None

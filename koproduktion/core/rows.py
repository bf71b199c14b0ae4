"""Model instances from the rows of hand-written SQL, as the ORM would make them.

Some reads happen on nearly every request (the session, the person); as one hand-written
query they cost a fraction of the ORM's building of it. ``RawQuerySet`` would then spend more
than the query on matching the cursor's columns to the model, row by row. Here the
query selects the model's ``columns`` in order, the converters of each (SQLite's for dates and
booleans, a field's own, such as JSON) are looked up once per model and connection, and each row
goes through them into ``Model.from_db``, as a queryset's rows do.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

M = TypeVar("M", bound=Model)

Converters = tuple[tuple[int, Any, tuple[Any, ...]], ...]


def columns(model: type[Model], connection: BaseDatabaseWrapper) -> str:
    """The model's concrete columns, quoted and in order, for a SELECT read by ``from_row``."""
    return ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def from_row(model: type[M], row: Sequence[Any], connection: BaseDatabaseWrapper) -> M:
    """The instance of ``model`` whose concrete fields (in order) are ``row``, read on
    ``connection`` (see ``columns``)."""
    connection = connections[connection.alias]  # the connection itself, not ``db.connection``
    names, converters = _converters(model, connection)
    values = list(row)
    for index, expression, functions in converters:
        value = values[index]
        for convert in functions:
            value = convert(value, expression, connection)
        values[index] = value
    return model.from_db(connection.alias, names, values)


# Per connection (each thread has its own): a converter may be bound to its connection's
# operations. A process holds a few connections, so a few entries per model.
@lru_cache(maxsize=64)
def _converters(
    model: type[Model], connection: BaseDatabaseWrapper
) -> tuple[list[str], Converters]:
    names, found = [], []
    for index, field in enumerate(model._meta.concrete_fields):
        names.append(field.attname)
        expression = field.get_col(model._meta.db_table)
        functions = (
            *connection.ops.get_db_converters(expression),
            *field.get_db_converters(connection),
        )
        if functions:
            found.append((index, expression, functions))
    return names, tuple(found)

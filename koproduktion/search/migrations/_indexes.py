"""The full-text search's GIN indexes, for the migrations of this app (PostgreSQL only).

Each index is on the expression search/postgres.py's ``vector`` builds for a source, so that the
planner uses it; search/tests/test_postgres.py proves it for every source. Built CONCURRENTLY
(so the migrations are not atomic): a big table keeps taking writes while its index grows.
``INDEXES`` rows are (table, index, title column or None, body columns), in the order of the
source's ``title`` and ``body`` in search/sources.py.

A split index (``SearchSource.split``) is one partial index per part (``parts``: the bounds of
``mod(id, modulus)``, as search/postgres.py's ``SPLIT_PARTS`` and ``PARTS``), named ``<index>_<n>``.
"""

from collections.abc import Callable, Sequence

Index = tuple[str, str, str | None, Sequence[str]]
Parts = tuple[int, Sequence[tuple[int, int]]]  # (modulus, the bounds of each part)


def _weighted(columns: Sequence[str], weight: str) -> str:
    joined = " || ' ' || ".join(f'"{column}"' for column in columns)
    return f"setweight(to_tsvector('german'::regconfig, {joined}), '{weight}')"


def _expression(title: str | None, body: Sequence[str]) -> str:
    expression = _weighted(body, "B")
    return f"({_weighted((title,), 'A')} || {expression})" if title else expression


def _named(name: str, parts: Parts | None) -> list[tuple[str, str]]:
    """(index name, its condition) of each index ``name`` stands for."""
    if parts is None:
        return [(name, "")]
    modulus, bounds = parts
    return [
        (f"{name}_{n}", f' WHERE mod("id", {modulus}) BETWEEN {low} AND {high}')
        for n, (low, high) in enumerate(bounds)
    ]


def creator(indexes: Sequence[Index], parts: Parts | None = None) -> Callable:
    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, name, title, body in indexes:
            for index, condition in _named(name, parts):
                schema_editor.execute(
                    f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{index}" ON "{table}" '
                    f"USING gin (({_expression(title, body)})){condition}"
                )

    return create


def dropper(indexes: Sequence[Index], parts: Parts | None = None) -> Callable:
    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for _table, name, _title, _body in indexes:
            for index, _condition in _named(name, parts):
                schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{index}"')

    return drop

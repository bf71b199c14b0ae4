"""The registry of open datasets: what each file of a town's open data holds, column by column.

A dataset names its columns (name, type, description: the data dictionary, and how each value
is read from a record), the records of one town (public ones only) and a stamp that changes when
its records do (``archive.fingerprint``). The ZIP, the single downloads, the page's dictionary and the API all
read this registry; ``catalogue`` fills it. Adding a dataset is one ``register(Dataset(...))``
there (docs/open-data.md).

Types are those of Frictionless Table Schema: ``integer``, ``number``, ``string``,
``boolean``, ``date``, ``datetime``. In CSV a value is written as ``cell`` spells it; in JSON
as ``json_value`` does; an empty cell and ``null`` mean "none".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, QuerySet
from django.utils.functional import Promise

from koproduktion.core.models import Municipality

TYPES = ("integer", "number", "string", "boolean", "date", "datetime")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Promise | str
    # The value of a record (with the town at hand, for addresses); by default the record's
    # attribute of the column's name.
    value: Callable[[Any, Municipality], Any] | None = None

    def of(self, record: Any, town: Municipality) -> Any:
        return getattr(record, self.name) if self.value is None else self.value(record, town)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type}")


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise | str
    description: Promise | str
    columns: tuple[Column, ...]
    # The records of one town, in the order of the file; each column reads its value of one.
    records: Callable[[Municipality], Iterable[Any]]
    # The records the rows come from, and aggregates over them that change when a row changes
    # (count, latest id or time, sum of versions): the dataset's part of the town's fingerprint.
    source: Callable[[Municipality], QuerySet]
    stamp: tuple[Aggregate, ...]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, town: Municipality) -> Iterator[list[Any]]:
        """The town's rows: per record, the values in the order of the columns."""
        for record in self.records(town):
            yield [column.of(record, town) for column in self.columns]


REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.name in REGISTRY:
        raise ValueError(f"dataset {dataset.name} registered twice")
    names = dataset.header
    if len(set(names)) != len(names):
        raise ValueError(f"{dataset.name}: a column named twice")
    REGISTRY[dataset.name] = dataset
    return dataset


def datasets() -> list[Dataset]:
    from . import catalogue  # noqa: F401, PLC0415 - fills the registry once, after the apps load

    return list(REGISTRY.values())


def dataset_get(name: str) -> Dataset | None:
    return next((dataset for dataset in datasets() if dataset.name == name), None)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def json_value(value: Any) -> Any:
    """A value as JSON holds it: dates and times as ISO 8601 (times in UTC)."""
    if isinstance(value, datetime.datetime):
        return _utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def cell(value: Any) -> Any:
    """A value as a CSV cell: none empty, booleans ``true``/``false``, dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json_value(value)

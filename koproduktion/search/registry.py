"""What the search searches: one ``SearchSource`` per kind of record, registered once.

A source says everything the search needs to know about a kind and nothing else needs to know
about the search:

- ``key`` (the API's ``kind``) and ``slug`` (the page's ``?art=``), the label of one and of many;
- ``model``, and ``title`` and ``body``: the fields searched (the title weighs more in ranking);
- ``municipality_path``: the path from the model to its town, checked on every query besides
  what ``visible`` does, so that no source can leak another town's records;
- ``visible(municipality, user)``: the queryset of the records ``user`` may see in the town,
  built from the app's own selectors (drafts, moderation, towns not public are decided there);
- ``project_path``: the path to the project, for the filter by project (None: not by project);
- ``related``: what ``url`` and ``context`` read, joined in the page's one query per kind;
- ``url(record, municipality)``: where the record is read;
- ``context(record)``: one line under the hit (the project, the idea a comment is about …);
- ``split``: on PostgreSQL its index is split into parts, read one after another
  (``postgres.SPLIT_PARTS``): for the kinds a town has hundreds of thousands of (ideas, comments),
  so that a word in many of them is read from a small part of the index only.

On PostgreSQL each source's table needs the GIN index on the same expression
(``search.postgres.vector``); docs/search.md says how to add a source with its index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class SearchSource:
    key: str
    slug: str
    label: str | Promise
    label_one: str | Promise
    model: type[Model]
    title: str | None
    body: tuple[str, ...]
    visible: Callable[[Any, Any], QuerySet]
    url: Callable[[Any, Any], str]
    municipality_path: str = "municipality"
    project_path: str | None = "project"
    related: tuple[str, ...] = ()
    context: Callable[[Any], str] | None = None
    split: bool = False


_SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> SearchSource:
    """Add ``source``; its key and slug must be new (a second registration is a mistake)."""
    for known in _SOURCES.values():
        if source.key == known.key or source.slug == known.slug:
            message = f"A search source {source.key!r} / {source.slug!r} is registered already."
            raise ValueError(message)
    _SOURCES[source.key] = source
    return source


def sources() -> list[SearchSource]:
    """Every source, in the order registered (the order of the tabs)."""
    return list(_SOURCES.values())


def by_key(key: str) -> SearchSource | None:
    return _SOURCES.get(key)


def by_slug(slug: str) -> SearchSource | None:
    return next((source for source in _SOURCES.values() if source.slug == slug), None)

"""The search: which records of a town a person may see match a query, best first.

Per kind (``registry``), one query finds the candidates and ranks them: at most ``CANDIDATES``
+ 1 matching records that ``user`` may see (by the GIN index on PostgreSQL, stopping there),
each ranked as it is read, then sorted by relevance, then newest. So a search costs the same whether a word is in ten comments
or in a hundred thousand; where more than ``CANDIDATES`` match, the count says "more than" and
the ranking is among the first found. Then one query per kind shown reads the page's records,
with their marked snippets (``ts_headline`` on PostgreSQL for these few only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Value
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.db_router import read_connection
from koproduktion.core.models import Municipality
from koproduktion.core.plain_text import plain_line
from koproduktion.projects.models import Project

from . import fallback, postgres
from .registry import SearchSource, sources

# The longest query searched; longer ones are refused with a reason.
MAX_LENGTH = 200
# Records ranked per kind at most; a count above is shown as "more than".
CANDIDATES = 200
PER_PAGE = 20
# Hits per kind on the overview of all kinds.
OVERVIEW = 3
# With ``{"limit_value": MAX_LENGTH}``, as the form's length check fills it in.
TOO_LONG = gettext_lazy("Bitte fassen Sie Ihre Suche kürzer: höchstens %(limit_value)d Zeichen.")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


def clean_query(text: str) -> str:
    """What is searched for: one line, without control characters and invisible marks."""
    return " ".join(plain_line(_CONTROLS.sub(" ", text)).split())


def unknown_kind(labels: list[Any]) -> str:
    """The reason for a kind that does not exist, naming those that do."""
    kinds = ", ".join(str(label) for label in labels)
    return _("Diese Art gibt es nicht. Möglich sind: %(kinds)s.") % {"kinds": kinds}


def backend(model: type[Any]) -> ModuleType:
    """PostgreSQL's full-text search where the records are read from PostgreSQL, else the
    fallback."""
    return postgres if read_connection(model).vendor == "postgresql" else fallback


@dataclass(frozen=True)
class Hit:
    source: SearchSource
    record: Any
    title: SafeString
    snippet: SafeString
    url: str
    context: str


@dataclass
class KindResult:
    source: SearchSource
    ranked: list[int]  # ids, best first (at most CANDIDATES)
    more: bool  # more than CANDIDATES match
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ranked)


@dataclass
class SearchResults:
    query: str
    kinds: list[KindResult]
    source: SearchSource | None = None  # the kind chosen, or None for all
    page: Page | None = None  # the chosen kind's page of hits

    @property
    def total(self) -> int:
        return sum(kind.count for kind in self.kinds)

    @property
    def more(self) -> bool:
        return any(kind.more for kind in self.kinds)


def _scoped(source: SearchSource, municipality: Municipality, user: Any, project: Project | None):
    queryset = source.visible(municipality, user).filter(**{source.municipality_path: municipality})
    if project is not None:
        queryset = queryset.filter(**{source.project_path: project.pk})
    return queryset


def _candidates(
    source: SearchSource,
    municipality: Municipality,
    user: Any,
    project: Project | None,
    text: str,
) -> QuerySet | None:
    """(pk, rank) of the first ``CANDIDATES`` + 1 records of ``source`` that match and that
    ``user`` may see; None where nothing can match. No ORDER BY: the database would rank every
    match; those found are ranked as they are read and sorted by ``_sorted``."""
    engine = backend(source.model)
    prepared = engine.prepare(text)
    if prepared is None or (project is not None and source.project_path is None):
        return None
    found = engine.matching(_scoped(source, municipality, user, project), source, prepared)
    return (
        found.annotate(search_rank=engine.rank(source, prepared))
        .order_by()
        .values_list("pk", "search_rank")[: CANDIDATES + 1]
    )


def _sorted(source: SearchSource, rows: list[tuple[int, float]]) -> KindResult:
    rows.sort(key=lambda row: (-row[1], -row[0]))
    ranked = [pk for pk, _rank in rows]
    return KindResult(source, ranked[:CANDIDATES], more=len(ranked) > CANDIDATES)


def _ranked_kinds(
    municipality: Municipality, user: Any, project: Project | None, text: str
) -> list[KindResult]:
    """Every kind's candidates, ranked. On PostgreSQL in one query (the kinds' queries joined
    by UNION ALL, each with its own LIMIT: one round trip instead of one per kind); SQLite
    allows no LIMIT inside a UNION, so there it is one query per kind."""
    kinds = sources()
    queries = [_candidates(each, municipality, user, project, text) for each in kinds]
    rows: dict[int, list[tuple[int, float]]] = {index: [] for index in range(len(kinds))}
    present = [(index, query) for index, query in enumerate(queries) if query is not None]
    if present and read_connection(kinds[0].model).features.supports_slicing_ordering_in_compound:
        tagged = [
            query.annotate(search_kind=Value(index)).values_list("search_kind", "pk", "search_rank")
            for index, query in present
        ]
        for index, pk, rank in tagged[0].union(*tagged[1:], all=True):
            rows[index].append((pk, rank))
    else:
        for index, query in present:
            rows[index] = list(query)
    return [_sorted(each, rows[index]) for index, each in enumerate(kinds)]


def _hits(kind: KindResult, ids: list[int], municipality: Municipality, text: str) -> list[Hit]:
    """The records ``ids`` of ``kind``, in that order, marked; one query."""
    if not ids:
        return []
    source = kind.source
    engine = backend(source.model)
    prepared = engine.prepare(text)
    queryset: QuerySet = source.model.objects.filter(pk__in=ids).select_related(*source.related)
    records = {record.pk: record for record in engine.with_headlines(queryset, source, prepared)}
    hits = []
    for pk in ids:
        record = records.get(pk)
        if record is None:  # deleted between the two queries
            continue
        title, snippet = engine.display(record, source, prepared)
        hits.append(
            Hit(
                source=source,
                record=record,
                title=title,
                snippet=snippet,
                url=source.url(record, municipality),
                context=str(source.context(record)) if source.context else "",
            )
        )
    return hits


def search(
    *,
    municipality: Municipality,
    user: Any,
    text: str,
    source: SearchSource | None = None,
    project: Project | None = None,
    page_number: int | str | None = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """What ``user`` may see in ``municipality`` that matches ``text`` (``clean_query``-ed,
    at most ``MAX_LENGTH``), counted per kind; with ``source`` one page of that kind, else the
    best ``OVERVIEW`` of each. ``project`` limits it to one project (kinds without one find
    nothing). Queries: one for the ranking (one per kind on SQLite), and one per kind shown."""
    kinds = _ranked_kinds(municipality, user, project, text)
    results = SearchResults(query=text, kinds=kinds, source=source)
    if source is None:
        for kind in kinds:
            kind.hits = _hits(kind, kind.ranked[:OVERVIEW], municipality, text)
        return results
    kind = next(kind for kind in kinds if kind.source == source)
    page = Paginator(kind.ranked, per_page).get_page(page_number)
    kind.hits = _hits(kind, list(page.object_list), municipality, text)
    page.object_list = kind.hits
    results.page = page
    return results

"""The search: which records of a town a person may see match a query, best first.

Per kind (``registry``), one query finds the candidates and ranks them: at most ``CANDIDATES``
+ 1 matching records that ``user`` may see (by the GIN index on PostgreSQL, stopping there),
each ranked as it is read, then sorted by relevance, then newest. So a search costs the same whether a word is in ten comments
or in a hundred thousand; where more than ``CANDIDATES`` match, the count says "more than" and
the ranking is among the first found. Then one query per kind shown reads the page's records,
with their marked snippets (``ts_headline`` on PostgreSQL for these few only).

Visitors' searches of a town differ only in the words searched, and so do one person's. On
PostgreSQL the ranking query is therefore built and compiled once per process, town, project
and visitor or person (``plans.ranking_plan``, ``plans.viewer``) and run with each search's
words put in; so is each kind's query of the page's records (``plans.records_plan``), with the
ids and the words put in. A person's plans are kept a minute at most.

A visitor's ranking is kept for ``RANKING_SECONDS`` in the process (``_visitor_rows``), so a
search many people make costs one ranking a minute: a new record shows in visitors' searches
within that minute. The records shown are read through the visibility again, so what was
hidden or unpublished since is never shown. A person logged in takes the kinds they see as
visitors do from that ranking too, and gets the others ranked for them, fresh
(``_visitors_kinds``); whoever has just written something others search gets every kind
fresh for that minute (``written``), and so finds it at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.db_router import read_connection
from koproduktion.core.kept import Kept
from koproduktion.core.models import Municipality
from koproduktion.core.plain_text import plain_line
from koproduktion.projects.models import Project

from . import fallback, postgres
from .plans import (
    IDS,
    PLACEHOLDER,
    MomentInPlan,
    Plan,
    RecordsPlan,
    ranking_plan,
    records_plan,
    union,
    viewer,
    visible_plan,
    visitors_kinds,
)
from .registry import SearchSource, sources
from .results import Hit, KindResult, SearchResults
from .written import RANKING_SECONDS, written_lately

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
# Plans kept per process (towns × projects searched): a plan is a few kilobytes of SQL.
PLANS_KEPT = 512
# People's plans (``plans.viewer``): per person, town and project searched, each for at most a
# minute, as a visitor's ranking (their key changes with their roles; the minute bounds what
# a key could miss). A search keeps a ranking plan and one per kind shown, some 40 KB each (the
# records' compiler with its query): at most about 10 MB a process.
PERSON_PLANS_KEPT = 256
PERSON_PLAN_SECONDS = 60
# How many visitors' rankings a process keeps (each at most nine kinds × CANDIDATES rows, some
# 40 KB), each for ``RANKING_SECONDS`` (``written``).
RANKINGS_KEPT = 256
# Pages of hits kept per process (each up to PER_PAGE records with their snippets, some 50 KB
# for a page of long comments: at most about 13 MB).
HITS_KEPT = 256


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
    """(pk, rank) of the records of ``source`` that match and that ``user`` may see, to be
    read up to ``CANDIDATES`` + 1 of them; None where nothing can match. No ORDER BY: the
    database would rank every match; those found are ranked as they are read and sorted by
    ``_sorted``."""
    engine = backend(source.model)
    prepared = engine.prepare(text)
    if prepared is None or (project is not None and source.project_path is None):
        return None
    found = engine.matching(_scoped(source, municipality, user, project), source, prepared)
    return (
        found.annotate(search_rank=engine.rank(source, prepared))
        .order_by()
        .values_list("pk", "search_rank")
    )


def _sorted(source: SearchSource, rows: list[tuple[int, float]]) -> KindResult:
    rows.sort(key=lambda row: (-row[1], -row[0]))
    ranked = [pk for pk, _rank in rows]
    return KindResult(source, ranked[:CANDIDATES], more=len(ranked) > CANDIDATES)


Rows = dict[int, list[tuple[int, float]]]  # per kind's index: (pk, rank) of its candidates
AnyPlan = TypeVar("AnyPlan", Plan, RecordsPlan)
_visitor_plans: Kept[tuple[Any, ...], Any] = Kept(PLANS_KEPT)
_person_plans: Kept[tuple[Any, ...], Any] = Kept(PERSON_PLANS_KEPT, PERSON_PLAN_SECONDS)


def _plan(key: tuple[Any, ...], user: Any, make: Callable[[], AnyPlan | None]) -> AnyPlan | None:
    """The plan ``make`` compiles for ``user``, as this process keeps it under ``key`` and
    ``plans.viewer(user)``; None where a person's visibility holds a moment, which no plan may
    keep (their searches are then built afresh). PostgreSQL only."""
    who = viewer(user)
    if who is None:
        return _visitor_plans.get_or_make(key, make)

    def made() -> AnyPlan | None:
        try:
            return make()
        except MomentInPlan:
            return None

    return _person_plans.get_or_make((*key, who), made)


def _rows(
    municipality: Municipality,
    user: Any,
    project: Project | None,
    text: str,
    kinds: frozenset[int] | None = None,
) -> Rows:
    """The candidates of the ``kinds`` (their indexes; all by default). On PostgreSQL in one
    query (the kinds' queries joined by UNION ALL, each with its own LIMIT: one round trip
    instead of one per kind), from a compiled plan; SQLite allows no LIMIT inside a UNION, so
    there it is one query per kind."""
    every = sources()
    wanted = kinds if kinds is not None else frozenset(range(len(every)))
    rows: Rows = {index: [] for index in wanted}
    compound = read_connection(every[0].model).features.supports_slicing_ordering_in_compound
    if compound:
        if not text.strip():
            return rows
        plan = _plan(
            ("ranking", municipality.pk, project.pk if project is not None else None, wanted),
            user,
            lambda: ranking_plan(
                municipality, user, project, _candidates, wanted, limit=CANDIDATES + 1
            ),
        )
        if plan is not None:
            for index, pk, rank in plan.rows({PLACEHOLDER: text}):
                rows[index].append((pk, rank))
            return rows
    queries = [
        (index, _candidates(each, municipality, user, project, text))
        for index, each in enumerate(every)
        if index in wanted
    ]
    present = [(index, query) for index, query in queries if query is not None]
    if present and compound:
        sql, params = union(present, CANDIDATES + 1)
        if sql:
            with read_connection(present[0][1].model).cursor() as cursor:
                cursor.execute(sql, params)
                for index, pk, rank in cursor.fetchall():
                    rows[index].append((pk, rank))
    else:
        for index, query in present:
            rows[index] = list(query[: CANDIDATES + 1])
    return rows


_rankings: Kept[tuple[int, int | None, str], Rows] = Kept(RANKINGS_KEPT, RANKING_SECONDS)
# Per person, town and project: the kinds they see as visitors do.
_person_kinds: Kept[tuple[Any, ...], frozenset[int]] = Kept(PERSON_PLANS_KEPT, PERSON_PLAN_SECONDS)
# The hits of a visitor's page, with their snippets, kept as long as the ranking they come from.
_visitor_hits: Kept[tuple[int, int | None, str, str, tuple[int, ...]], list[Hit]] = Kept(
    HITS_KEPT, RANKING_SECONDS
)


def _visitor_rows(municipality: Municipality, project: Project | None, text: str) -> Rows:
    """A visitor's candidates for ``text``, as found at most ``RANKING_SECONDS`` ago in this
    process: a search that many people make is ranked once a minute, not for each of them."""
    key = (municipality.pk, project.pk if project is not None else None, text)
    return _rankings.get_or_make(key, lambda: _rows(municipality, AnonymousUser(), project, text))


def _visitors_kinds(
    municipality: Municipality, user: Any, project: Project | None
) -> frozenset[int]:
    """The kinds (their indexes) whose ranking and hits ``user`` takes from those kept for
    visitors: every kind for visitors; for a person, the kinds they see as visitors do
    (``plans.visitors_kinds``, compared once a minute per person), where these are most kinds
    (a resident's, but their initiatives' and events' drafts). Whoever sees more than visitors
    in most kinds (staff, the coordination) has every kind ranked for them, in one query; so
    has whoever has just written something (``written``), to find it at once."""
    every = range(len(sources()))
    if not getattr(user, "is_authenticated", False):
        return frozenset(every)
    if written_lately(user):
        return frozenset()
    key = ("visitors' kinds", municipality.pk, project.pk if project is not None else None)
    shared = _person_kinds.get_or_make(
        (*key, viewer(user)), lambda: visitors_kinds(municipality, user, project, _scoped)
    )
    return shared if 2 * len(shared) > len(every) else frozenset()


def _ranked_kinds(
    municipality: Municipality,
    user: Any,
    project: Project | None,
    text: str,
    shared: frozenset[int],
) -> list[KindResult]:
    """Every kind's candidates, ranked: the kinds ``shared`` as ``_visitor_rows`` keeps them for
    visitors, the others for ``user``."""
    rows: Rows = dict(_visitor_rows(municipality, project, text)) if shared else {}
    own = frozenset(index for index in range(len(sources())) if index not in shared)
    if own:
        rows.update(_rows(municipality, user, project, text, own))
    return [_sorted(each, list(rows[index])) for index, each in enumerate(sources())]


def _hits(
    kind: KindResult,
    ids: list[int],
    *,
    municipality: Municipality,
    user: Any,
    project: Project | None,
    text: str,
) -> list[Hit]:
    """The records ``ids`` of ``kind`` that ``user`` may see now, in that order, marked; one
    query. The visibility is applied again: a ranking kept for visitors may be a minute old."""
    if not ids:
        return []
    source = kind.source
    engine = backend(source.model)
    prepared = engine.prepare(text)
    plan = None
    if read_connection(source.model).features.supports_slicing_ordering_in_compound:
        plan = _plan(
            ("records", municipality.pk, project.pk if project is not None else None, source.key),
            user,
            lambda: records_plan(source, municipality, user, project, _scoped),
        )
    if plan is not None:
        found = plan.records({IDS.format(0): _padded(ids), PLACEHOLDER: text})
    else:
        queryset: QuerySet = (
            _scoped(source, municipality, user, project)
            .filter(pk__in=ids)
            .select_related(*source.related)
        )
        found = list(engine.with_headlines(queryset, source, prepared))
    records = {record.pk: record for record in found}
    hits = []
    for pk in ids:
        record = records.get(pk)
        if record is None:  # deleted or hidden since it was ranked
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


def _padded(ids: list[int]) -> list[int]:
    """``ids`` and as many zeros (no record's id) as make ``PER_PAGE``: PostgreSQL plans a
    prepared statement once for all its runs (a generic plan) when its parameters look alike.
    Three ids of an overview looked cheaper to plan for each search than an array of unknown
    length; planning took 0.5 ms, the query itself 0.1 ms."""
    return [*ids, *[0] * (PER_PAGE - len(ids))]


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
    shared = _visitors_kinds(municipality, user, project)
    kinds = _ranked_kinds(municipality, user, project, text, shared)
    results = SearchResults(query=text, kinds=kinds, source=source)
    shown = {kind.source.key: kind.ranked[:OVERVIEW] for kind in kinds}
    if source is not None:
        kind = next(kind for kind in kinds if kind.source == source)
        results.page = Paginator(kind.ranked, per_page).get_page(page_number)
        shown = {source.key: list(results.page.object_list)}
    scope = {"municipality": municipality, "user": user, "project": project, "text": text}
    kept = shared if _keeps_hits(kinds[0].source) else frozenset()
    earlier: set[str] = set()  # kinds whose hits were kept from an earlier search
    for index, kind in enumerate(kinds):
        ids = shown.get(kind.source.key)
        if not ids:
            continue
        if index in kept:
            kind.hits, made_now = _kept_hits(kind, ids, **{**scope, "user": AnonymousUser()})
            if not made_now:
                earlier.add(kind.source.key)
        else:
            kind.hits = _hits(kind, ids, **scope)
    if earlier:
        _still_visible(kinds, municipality, project, earlier)
    if results.page is not None:
        results.page.object_list = next(k for k in kinds if k.source == source).hits
    return results


def _keeps_hits(source: SearchSource) -> bool:
    """Whether the hits of the kinds seen as visitors see them are kept: on PostgreSQL, where
    one compiled query checks what is still visible."""
    return read_connection(source.model).features.supports_slicing_ordering_in_compound


def _kept_hits(kind: KindResult, ids: list[int], **scope: Any) -> tuple[list[Hit], bool]:
    """The hits of ``ids`` as the process keeps them for visitors, and whether they were read
    just now (through the visibility of this moment)."""
    municipality, project = scope["municipality"], scope["project"]
    key = (
        municipality.pk,
        project.pk if project is not None else None,
        scope["text"],
        kind.source.key,
        tuple(ids),
    )
    made: list[bool] = []

    def make() -> list[Hit]:
        made.append(True)
        return _hits(kind, ids, **scope)

    return _visitor_hits.get_or_make(key, make), bool(made)


def _still_visible(
    kinds: list[KindResult], municipality: Municipality, project: Project | None, keys: set[str]
) -> None:
    """Leave out of the hits of the kinds ``keys`` what visitors may no longer see (hidden,
    unpublished, deleted since the hits were kept): one compiled query for them all."""
    plan = _visitor_plans.get_or_make(
        ("visible", municipality.pk, project.pk if project is not None else None),
        lambda: visible_plan(municipality, project, _scoped),
    )
    checked = [(index, kind) for index, kind in enumerate(kinds) if kind.source.key in keys]
    values = {IDS.format(index): [] for index in range(len(kinds))}
    for index, kind in checked:
        values[IDS.format(index)] = [hit.record.pk for hit in kind.hits]
    visible = set(plan.rows(values))
    for index, kind in checked:
        kind.hits = [hit for hit in kind.hits if (index, hit.record.pk) in visible]

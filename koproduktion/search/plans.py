"""Searches compiled once: the ranking query of every kind and each kind's query of the
records shown, as SQL with placeholders for the words searched and the ids (``ranking_plan``,
``records_plan``), for visitors and for each person logged in.

Building and compiling the nine kinds' querysets costs more than PostgreSQL's own work; the SQL
is the same in a town for everyone without an account, and for one person, but for the words
(and the ids), so it is compiled once per process, town, project and ``viewer``, and each
search runs it with its words in the placeholder's place.

A plan holds the visibility as it was when it was compiled, so nothing may enter it that can
change without changing its key:

- no parameter of the moment (a date, a time): ``Plan.of`` refuses one (``MomentInPlan``);
- for a person, nothing of them but what ``viewer`` names: who they are, whether they
  administer the platform, their roles and their departments. The kinds' visibility reads
  these in Python (``projects.selectors._managed`` …); a change of any of them (a role taken
  away) makes another key, so the next search compiles a new plan. A visibility that read more
  of the person in Python would have to be named in ``viewer`` too;
  ``tests/test_plans.py`` compares the plans with the queries built afresh for a visitor, a
  resident, an initiator, a department's staff, the coordination and a platform admin.

``visitors_kinds`` tells which kinds a person sees as visitors do, by comparing the compiled
visibility of each: those kinds' ranking and hits can come from what is kept for visitors.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db.models import BooleanField, F, Func, Model, QuerySet, Value
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from koproduktion.core.db_router import read_connection
from koproduktion.core.models import Municipality
from koproduktion.core.rules import is_platform_admin, roles_by_municipality, staff_departments
from koproduktion.projects.models import Project

from . import postgres
from .registry import SearchSource, sources

# Stands for the words searched in a plan; ``selectors.clean_query`` removes it from every query.
PLACEHOLDER = "\ue000"
# Stands for the ids of kind number ``n`` in the plan that checks what visitors may see.
IDS = "\ue000ids:{}"


class MomentInPlan(ImproperlyConfigured):
    """A query holds a moment (a date, a time), which a plan would keep unchanged."""


def viewer(user: Any) -> Hashable | None:
    """What of ``user`` a plan of their searches is made from: None for visitors; for a person,
    who they are, whether they administer the platform, their roles in every town and their
    departments (see the module's docstring)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        user.pk,
        is_platform_admin.test(user),
        frozenset(roles_by_municipality(user).items()),
        frozenset(staff_departments(user).items()),
    )


@dataclass(frozen=True)
class Plan:
    """A compiled query whose placeholder parameters take the values of a search."""

    model: type[Model]
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in ``params``, the placeholder there)

    @classmethod
    def of(cls, queryset: QuerySet) -> Plan:
        """``queryset`` compiled; each parameter that is a placeholder (a string starting with
        ``PLACEHOLDER``) becomes a slot that ``rows`` fills in."""
        return cls.compiled(queryset)[0]

    @classmethod
    def compiled(cls, queryset: QuerySet) -> tuple[Plan, SQLCompiler]:
        """``of(queryset)``, and the compiler that made it (which knows its columns)."""
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        return cls.of_sql(queryset.model, sql, params), compiler

    @classmethod
    def of_sql(cls, model: type[Model], sql: str, params: Sequence[Any]) -> Plan:
        """The plan of ``sql`` with ``params``, read from where ``model`` is read."""
        moments = [p for p in params if isinstance(p, datetime.date | datetime.time)]
        if moments:
            raise MomentInPlan(
                f"A search's plan would keep the moment {moments[0]!r}: the visibility of "
                "a searched kind must not depend on when it was compiled."
            )
        slots = tuple(
            (i, p) for i, p in enumerate(params) if isinstance(p, str) and p.startswith(PLACEHOLDER)
        )
        return cls(model, sql, tuple(params), slots)

    def rows(self, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, with ``values`` (placeholder → value) in the slots."""
        params = list(self.params)
        for slot, placeholder in self.slots:
            params[slot] = values[placeholder]
        with read_connection(self.model).cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()


@dataclass(frozen=True)
class RecordsPlan:
    """A compiled query of model instances: its rows become records as the queryset's own
    iteration makes them (its ``select_related`` objects and annotations set)."""

    plan: Plan
    compiler: SQLCompiler

    @classmethod
    def of(cls, queryset: QuerySet) -> RecordsPlan:
        return cls(*Plan.compiled(queryset))

    def records(self, values: dict[str, Any]) -> list[Any]:
        compiler = self.compiler
        select, info = compiler.select, compiler.klass_info
        model, fields = info["model"], info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(info, select, compiler.using)
        annotations = compiler.annotation_col_map.items()
        records = []
        for row in compiler.results_iter(results=[self.plan.rows(values)]):
            record = model.from_db(compiler.using, names, row[start:end])
            for populator in related:
                populator.populate(row, record)
            for name, position in annotations:
                setattr(record, name, row[position])
            records.append(record)
        return records


def union(queries: list[tuple[int, QuerySet]], limit: int) -> tuple[str, list[Any]]:
    """The kinds' queries as one statement: each kind's first ``limit`` rows (kind's index,
    pk, rank), the kinds joined by UNION ALL; ("", []) where none can find anything.

    The parts of a split index (``postgres.parts``) are read under their kind's one limit:
    PostgreSQL runs a part of an Append only when the parts before it did not fill the limit,
    and builds a part's bitmap only when it runs, so a common word never reads the later parts.
    """
    every = sources()
    statements: list[str] = []
    params: list[Any] = []
    for index, query in queries:
        tagged = query.annotate(search_kind=Value(index)).values_list(
            "search_kind", "pk", "search_rank"
        )
        parts = []
        for part in postgres.parts(tagged, every[index]):
            try:
                sql, part_params = part.query.get_compiler(using=part.db).as_sql()
            except EmptyResultSet:  # the person may see nothing of this kind
                continue
            parts.append(sql)
            params.extend(part_params)
        if len(parts) == 1:
            statements.append(f"({parts[0]} LIMIT {int(limit)})")
        elif parts:
            read = " UNION ALL ".join(f"({sql})" for sql in parts)
            # Of compiled querysets and numbers only.
            statement = f"SELECT * FROM ({read}) AS search_{index} LIMIT {int(limit)}"  # noqa: S608
            statements.append(f"({statement})")
    return " UNION ALL ".join(statements), params


Candidates = Callable[[SearchSource, Municipality, Any, Project | None, str], QuerySet | None]


def ranking_plan(
    municipality: Municipality,
    user: Any,
    project: Project | None,
    candidates: Candidates,
    kinds: frozenset[int],
    *,
    limit: int,
) -> Plan | None:
    """The ranking of the ``kinds`` (their indexes) for ``user`` in ``municipality`` (in
    ``project``), the first ``limit`` of each, compiled; ``candidates`` builds a kind's query
    (``selectors._candidates``). None where none of them can match (``project`` given, and
    none has one, or the person sees nothing of them)."""
    queries = [
        (index, query)
        for index, each in enumerate(sources())
        if index in kinds
        and (query := candidates(each, municipality, user, project, PLACEHOLDER)) is not None
    ]
    sql, params = union(queries, limit)
    return Plan.of_sql(queries[0][1].model, sql, params) if sql else None


class _AnyOf(Func):
    """``column = ANY(array)``: one parameter for any number of ids (PostgreSQL)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


Scoped = Callable[[SearchSource, Municipality, Any, Project | None], QuerySet]


def visitors_kinds(
    municipality: Municipality, user: Any, project: Project | None, scoped: Scoped
) -> frozenset[int]:
    """The kinds (their indexes) that ``user`` sees in ``municipality`` (in ``project``) as
    visitors do: whose visibility (``scoped``, ``selectors._scoped``) compiles to the visitors'
    SQL with the visitors' parameters, so that both find the same records. A kind whose
    visibility holds a moment is never among them: it could differ a moment later."""
    visitor = AnonymousUser()
    return frozenset(
        index
        for index, each in enumerate(sources())
        if (project is not None and each.project_path is None)  # finds nothing in a project
        or (
            (theirs := _visibility(scoped(each, municipality, user, project))) is not None
            and theirs == _visibility(scoped(each, municipality, visitor, project))
        )
    )


def _visibility(queryset: QuerySet) -> tuple[str, tuple[Any, ...]] | None:
    """``queryset``'s SQL and parameters; None where a parameter is a moment."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return ("", ())  # nothing visible
    if any(isinstance(p, datetime.date | datetime.time) for p in params):
        return None
    return sql, tuple(params)


def visible_plan(municipality: Municipality, project: Project | None, scoped: Scoped) -> Plan:
    """Which of some records of each kind visitors of ``municipality`` (in ``project``) may see
    now: rows (kind's index, id), for the ids put in the slots ``IDS.format(index)``;
    ``scoped`` is a kind's visibility (``selectors._scoped``)."""
    queries = []
    for index, each in enumerate(sources()):
        if project is not None and each.project_path is None:
            continue
        wanted = _AnyOf(F("pk"), Value(IDS.format(index)))
        visible = scoped(each, municipality, AnonymousUser(), project).filter(wanted)
        queries.append(visible.order_by().annotate(search_kind=Value(index)))
    tagged = [query.values_list("search_kind", "pk") for query in queries]
    return Plan.of(tagged[0].union(*tagged[1:], all=True))


def records_plan(
    source: SearchSource,
    municipality: Municipality,
    user: Any,
    project: Project | None,
    scoped: Scoped,
) -> RecordsPlan:
    """The records of ``source`` that ``user`` may see in ``municipality`` (in ``project``),
    by their ids (the slot ``IDS.format(0)``), with what ``url`` and ``context`` read and the
    snippets marked for the words searched (the slot ``PLACEHOLDER``)."""
    wanted = _AnyOf(F("pk"), Value(IDS.format(0)))
    queryset = (
        scoped(source, municipality, user, project)
        .filter(wanted)
        .select_related(*source.related)
        .order_by()
    )
    return RecordsPlan.of(postgres.with_headlines(queryset, source, postgres.Prepared(PLACEHOLDER)))

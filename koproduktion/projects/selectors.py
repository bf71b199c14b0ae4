"""Reads of projects. Lists cost a fixed number of queries, however many projects there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Max, Min, Model, Prefetch, Q, QuerySet
from django.http import Http404

from koproduktion.core.db_router import read_connection
from koproduktion.core.kept import Kept, kept_copy
from koproduktion.core.models import Municipality, Neighbourhood, Topic
from koproduktion.core.roles import PROJECT_WIDE_ROLES
from koproduktion.core.rules import is_platform_admin, roles_by_municipality, staff_departments

from .capabilities import PhaseKind
from .models import Document, Phase, Project
from .next_steps import current_phase_end

# How many published projects (with and without their timeline) a process keeps, and for how
# long at most: a write past the services that no version sees shows within that time.
PROJECTS_KEPT = 256
PROJECT_SECONDS = 60


def _visible(user: Any, municipality: Municipality) -> Q:
    """Published projects, and drafts for the people who may manage them.

    The query-side twin of the rule ``projects.can_view``; a test holds the two together.
    """
    managed = _managed(user, municipality)
    # ``Q(...) | Q()`` would be the first condition alone: everything is visible to who manages all.
    return managed if managed == Q() else Q(is_published=True) | managed


def _managed(user: Any, municipality: Municipality) -> Q:
    """The projects of ``municipality`` that ``user`` may manage, as a condition.

    The query-side twin of the rule ``projects.can_manage``: the coordination, the town's admins
    and platform admins all; staff those their departments lead or are involved in.
    """
    if (
        is_platform_admin.test(user)
        or roles_by_municipality(user).get(municipality.pk, frozenset()) & PROJECT_WIDE_ROLES
    ):
        return Q()
    departments = [
        department
        for department, town in staff_departments(user).items()
        if town == municipality.pk
    ]
    if not departments:
        return Q(pk__in=[])
    involved = Project.involved_departments.through.objects.filter(
        department_id__in=departments
    ).values("project_id")
    return Q(department_id__in=departments) | Q(pk__in=involved)


def managed_projects(*, municipality: Municipality, user: Any) -> QuerySet[Project]:
    """The projects of ``municipality`` that ``user`` may manage, drafts included."""
    return Project.objects.filter(_managed(user, municipality), municipality=municipality)


def managed_project_list(*, municipality: Municipality, user: Any) -> QuerySet[Project]:
    """``managed_projects`` newest first, with what the workspace's list shows."""
    return (
        managed_projects(municipality=municipality, user=user)
        .select_related("department")
        .annotate(timeline_start=Min("phases__starts_on"), timeline_end=Max("phases__ends_on"))
        .order_by("-updated_at", "-pk")
    )


def visible_project_ids(*, municipality: Municipality, user: Any) -> QuerySet[Project]:
    """The ids of the projects of ``municipality`` that ``user`` may see, as a subquery."""
    return Project.objects.filter(_visible(user, municipality), municipality=municipality).values(
        "pk"
    )


@dataclass(frozen=True)
class ProjectFilters:
    phase: PhaseKind | None = None
    topic: Topic | None = None
    neighbourhood: Neighbourhood | None = None
    # With ``neighbourhood``: also the projects for the whole town (no neighbourhood), after the
    # neighbourhood's own; a neighbourhood's page shows what concerns its residents.
    with_whole_town: bool = False


def project_list(
    *, municipality: Municipality, user: Any, filters: ProjectFilters | None = None
) -> QuerySet[Project]:
    """The projects of ``municipality`` that ``user`` may see, with what the list shows.

    The timeline (first start, last end) is annotated from the phases in the same query.
    """
    filters = filters or ProjectFilters()
    projects = Project.objects.filter(_visible(user, municipality), municipality=municipality)
    if filters.phase:
        projects = projects.filter(phase=filters.phase)
    if filters.topic:
        projects = projects.filter(topic=filters.topic)
    order = ("title", "pk")
    if filters.neighbourhood and filters.with_whole_town:
        projects = projects.filter(
            Q(neighbourhood=filters.neighbourhood) | Q(neighbourhood__isnull=True)
        )
        order = (F("neighbourhood_id").asc(nulls_last=True), *order)
    elif filters.neighbourhood:
        projects = projects.filter(neighbourhood=filters.neighbourhood)
    return (
        projects.select_related("topic", "neighbourhood", "department")
        .annotate(timeline_start=Min("phases__starts_on"), timeline_end=Max("phases__ends_on"))
        .order_by(*order)
    )


def project_get(
    *, municipality: Municipality, slug: str, user: Any, related: bool = True
) -> Project:
    """One project with its timeline and documents, or 404 when ``user`` may not see it.

    ``related=False`` for pages that show neither (the ideas' pages): two queries less.
    """
    queryset = Project.objects.filter(
        _visible(user, municipality), municipality=municipality
    ).select_related("topic", "neighbourhood", "department")
    if related:
        queryset = queryset.prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on", "pk")),
            Prefetch("documents", queryset=Document.objects.order_by("position", "pk")),
        )
    try:
        return queryset.get(slug=slug)
    except Project.DoesNotExist as missing:
        raise Http404 from missing


_published: Kept[tuple[str, str, bool, str], bytes] = Kept(PROJECTS_KEPT, PROJECT_SECONDS)


def published_project_get(
    *, municipality_slug: str, project_slug: str, related: bool = True
) -> Project | None:
    """A published project of a public town, with its town, as everyone sees it; None if the
    project is not such (a draft, a town not public, no such project: ``project_get`` decides).

    Read on every page of a project, and the same for everyone who may see it, so a process
    keeps it per version (``published_project_version``: the project's and its town's content
    versions and the project's last save) and reads the version alone, one hand-written query.
    Each call gets a copy of its own (unpickled), which the page may change. The ideas'
    ``activity_version`` rises with every support and comment without touching the rest of the
    project: it is read with the version and set on the copy, so a support does not cost the
    next page a fresh read. ``related``: with its timeline and documents (``project_get``);
    without them, with the end of its current phase (``next_steps.current_phase_end``).
    """
    found = published_project_with_row(
        municipality_slug=municipality_slug, project_slug=project_slug, related=related
    )
    return None if found is None else found[0]


def published_project_with_row(
    *,
    municipality_slug: str,
    project_slug: str,
    related: bool = True,
    join: type[Model] | None = None,
    pk: int | None = None,
    columns: tuple[str, ...] = (),
) -> tuple[Project, tuple[Any, ...]] | None:
    """``published_project_get``, and ``columns`` of the row of ``join`` with the primary key
    ``pk`` that belongs to the project, read in the same query as the project's version; None
    if there is no such project or no such row. For a write as frequent as a vote, which needs
    the project and one row of it."""
    row = _published_project_row(
        municipality_slug,
        project_slug,
        join=join,
        pk=pk,
        also="".join([", p.id, m.id, p.activity_version", *(f", j.{c}" for c in columns)]),
    )
    if row is None:
        return None
    version, activity_version = ":".join(map(str, row[:5])), row[5]

    def read() -> Project:
        municipality = Municipality.objects.get(slug=municipality_slug)
        project = project_get(
            municipality=municipality, slug=project_slug, user=AnonymousUser(), related=related
        )
        project.municipality = municipality
        if not related:
            current_phase_end(project)  # kept with it: the pages of ideas show it
        return project

    project = kept_copy(_published, (municipality_slug, project_slug, related, version), read)
    project.activity_version = int(activity_version)
    return project, tuple(row[6:])


def project_content_version(*, municipality_slug: str, project_slug: str, **_: Any) -> str | None:
    """The version of a published project's public pages; None if there is no such page.

    Made of the project's content version (ideas, their status and moderation, the plan, its
    opinion map; not supports and comments, see ``ideas.versions``), its last edit (``updated_at``: title, phase, description …) and the
    municipality's content version (names of the town, its neighbourhoods and departments,
    anything saved in the admin). Asked on every cached page view, so it is one hand-written
    query: building it with the ORM would cost more than serving the cached page.
    """
    return published_project_version(municipality_slug, project_slug)


def published_project_version(
    municipality_slug: str,
    project_slug: str,
    *,
    join: type[Model] | None = None,
    pk: int | None = None,
    also: str = "",
) -> str | None:
    """``project_content_version``, with the columns ``also`` (of the project ``p``, or of the
    row of ``join`` that belongs to the project: alias ``j``, joined on ``project_id``, the one
    with the primary key ``pk`` if given) — for a page whose version needs more than the
    project's, in the same single query. None if there is no such row.
    """
    row = _published_project_row(municipality_slug, project_slug, join=join, pk=pk, also=also)
    return None if row is None else ":".join(map(str, row))


def _published_project_row(
    municipality_slug: str,
    project_slug: str,
    *,
    join: type[Model] | None = None,
    pk: int | None = None,
    also: str = "",
) -> tuple[Any, ...] | None:
    if pk is not None and not 0 < pk < 2**63:
        return None  # no row has it (and the databases take no larger integer)
    project, municipality = Project._meta.db_table, Municipality._meta.db_table
    joined, parameters = "", [municipality_slug, project_slug]
    if join:
        joined = f"JOIN {join._meta.db_table} j ON j.project_id = p.id "
        if pk is not None:
            joined += "AND j.id = %s "
            parameters.insert(0, pk)
    # Where the page itself reads, so that a copy is never keyed newer than its content.
    with read_connection(Project).cursor() as cursor:
        cursor.execute(
            f"SELECT p.content_version, p.updated_at, m.content_version{also} FROM {project} p "  # noqa: S608 - names from models and code
            f"JOIN {municipality} m ON m.id = p.municipality_id {joined}"
            "WHERE m.slug = %s AND m.is_public AND p.slug = %s AND p.is_published",
            parameters,
        )
        return cursor.fetchone()


def project_api_version(*, slug: str, project_slug: str, **_: Any) -> str | None:
    """``project_content_version`` for the API, whose operations name the town ``slug``."""
    return project_content_version(municipality_slug=slug, project_slug=project_slug)


def project_ids_ended_before(*, day: datetime.date) -> QuerySet[Project]:
    """Ids of the projects that ended before ``day``: in the evaluation phase, whose planned
    end lies before ``day``. A project without an end date for its evaluation has not ended.
    """
    ended = Phase.objects.filter(kind=PhaseKind.EVALUATION, ends_on__lt=day)
    return Project.objects.filter(
        phase=PhaseKind.EVALUATION, pk__in=ended.values("project_id")
    ).values_list("pk", flat=True)

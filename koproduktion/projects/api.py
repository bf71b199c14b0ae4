"""Public read API of projects and their timelines."""

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from koproduktion.api.cache import cached_for_visitors
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.selectors import (
    municipality_content_version,
    municipality_get,
    neighbourhood_list,
    topic_list,
)

from .capabilities import PhaseKind
from .models import Phase, PhaseChange, Project
from .selectors import ProjectFilters, project_api_version, project_get, project_list

router = Router(tags=["Vorhaben"])


class PhaseOut(Schema):
    kind: PhaseKind
    starts_on: datetime.date
    ends_on: datetime.date | None
    description: str


class ProjectOut(Schema):
    slug: str
    title: str
    summary: str
    phase: PhaseKind
    topic: str | None
    neighbourhood: str | None
    department: str | None
    cost_estimate_cents: int | None
    next_decision_date: datetime.date | None
    phases: list[PhaseOut]
    url: str

    @staticmethod
    def resolve_topic(obj: Project) -> str | None:
        return obj.topic.slug if obj.topic else None

    @staticmethod
    def resolve_neighbourhood(obj: Project) -> str | None:
        return obj.neighbourhood.slug if obj.neighbourhood else None

    @staticmethod
    def resolve_department(obj: Project) -> str | None:
        return obj.department.name if obj.department else None

    @staticmethod
    def resolve_phases(obj: Project) -> list[Phase]:
        return list(obj.phases.all())

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return reverse("projects:detail", args=[obj.municipality.slug, obj.slug])


class ProjectDetailOut(ProjectOut):
    description: str


class PhaseChangeOut(Schema):
    id: int
    from_phase: PhaseKind
    to_phase: PhaseKind
    note: str
    changed_at: datetime.datetime


class ProjectQuery(Schema):
    phase: PhaseKind | None = None
    topic: str | None = None
    neighbourhood: str | None = None


@router.get("/municipalities/{slug}/projects", response=list[ProjectOut])
@cached_for_visitors(lambda slug, **_: municipality_content_version(municipality_slug=slug))
@paginate(PageNumbers, page_size=50)
def list_projects(request: HttpRequest, slug: str, query: Query[ProjectQuery]):
    municipality = municipality_get(slug=slug, user=request.user)
    filters = ProjectFilters(phase=query.phase)
    if query.topic:
        topic = topic_list(municipality=municipality).filter(slug=query.topic).first()
        if topic is None:
            raise HttpError(400, _("Unbekanntes Thema: %(slug)s") % {"slug": query.topic})
        filters = ProjectFilters(phase=filters.phase, topic=topic)
    if query.neighbourhood:
        neighbourhood = (
            neighbourhood_list(municipality=municipality).filter(slug=query.neighbourhood).first()
        )
        if neighbourhood is None:
            raise HttpError(
                400, _("Unbekanntes Quartier: %(slug)s") % {"slug": query.neighbourhood}
            )
        filters = ProjectFilters(
            phase=filters.phase, topic=filters.topic, neighbourhood=neighbourhood
        )
    return (
        project_list(municipality=municipality, user=request.user, filters=filters)
        .select_related("municipality")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_on", "pk")))
    )


@router.get("/municipalities/{slug}/projects/{project_slug}", response=ProjectDetailOut)
@cached_for_visitors(project_api_version)
def get_project(request: HttpRequest, slug: str, project_slug: str) -> Project:
    municipality = municipality_get(slug=slug, user=request.user)
    project = project_get(municipality=municipality, slug=project_slug, user=request.user)
    project.municipality = municipality
    return project


@router.get(
    "/municipalities/{slug}/projects/{project_slug}/phase-changes",
    response=list[PhaseChangeOut],
)
@cached_for_visitors(project_api_version)
@paginate(PageNumbers, page_size=50)
def list_phase_changes(request: HttpRequest, slug: str, project_slug: str):
    """When the project moved on to its next phase, with the administration's public note;
    newest first."""
    municipality = municipality_get(slug=slug, user=request.user)
    project = project_get(
        municipality=municipality, slug=project_slug, user=request.user, related=False
    )
    return PhaseChange.objects.filter(project=project).order_by("-changed_at", "-pk")

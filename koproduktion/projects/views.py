from __future__ import annotations

from typing import Any

import rules
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koproduktion.core.htmx import wants_fragment
from koproduktion.core.models import Municipality
from koproduktion.core.page_cache import cached_for_visitors, confirm_filters, confirm_page
from koproduktion.core.selectors import (
    department_list,
    municipality_content_version,
    municipality_get,
    neighbourhood_get,
    neighbourhood_list,
)
from koproduktion.ideas.models import Idea
from koproduktion.notifications.selectors import is_following

from .capabilities import PhaseKind
from .forms import ProjectFilterForm
from .models import Project
from .next_steps import next_steps
from .selectors import (
    ProjectFilters,
    project_content_version,
    project_get,
    project_list,
    published_project_get,
)

PROJECTS_PER_PAGE = 20
# The page shows the latest phase changes with their notes; the audit log keeps them all.
PHASE_CHANGES_SHOWN = 10


def project_for_request(
    request: HttpRequest, municipality_slug: str, project_slug: str, *, related: bool = True
) -> Any:
    """The project named in the URL, if the person may see it (404 otherwise).

    ``related=False``: without its timeline and documents (``project_get``). A page that only
    reads gets a published project from what the process keeps (``published_project_get``);
    a write reads it afresh, and checks what it may do against the project as it is.
    """
    if request.method in ("GET", "HEAD"):
        published = published_project_get(
            municipality_slug=municipality_slug, project_slug=project_slug, related=related
        )
        if published is not None:
            return published
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(
        municipality=municipality, slug=project_slug, user=request.user, related=related
    )
    project.municipality = municipality
    return project


def _project_page(request: HttpRequest, projects, municipality: Municipality) -> Page:
    """One page of ``projects``, each with its next steps for the person looking."""
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("seite"))
    confirm_page(request, page)
    page.object_list = list(page.object_list)
    steps = next_steps(page.object_list, municipality=municipality, user=request.user)
    for project in page.object_list:
        project.next_steps = steps[project.pk]
    return page


@cached_for_visitors(
    municipality_content_version, query=("phase", "topic", "neighbourhood", "seite")
)
def municipality_detail(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """A municipality's home: its neighbourhoods, departments and the public project list."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = ProjectFilterForm(request.GET or None, municipality=municipality)
    confirm_filters(request, form)
    page = _project_page(
        request,
        project_list(municipality=municipality, user=request.user, filters=form.filters()),
        municipality,
    )
    context = {
        "municipality": municipality,
        "filter_form": form,
        "page": page,
        "is_filtered": any(request.GET.get(name) for name in form.fields),
    }
    # htmx asks for the list alone when a filter changes; the full page works without it.
    if wants_fragment(request):
        return render(request, "projects/_project_list.html", context)
    context["neighbourhoods"] = neighbourhood_list(municipality=municipality)
    context["departments"] = department_list(municipality=municipality)
    context["can_manage"] = rules.test_rule("projects.can_create", request.user, municipality)
    context["can_view_inboxes"] = rules.test_rule(
        "routing.can_view_inboxes", request.user, municipality
    )
    context["can_read_audit_log"] = rules.test_rule(
        "core.can_read_audit_log", request.user, municipality
    )
    return render(request, "projects/municipality_detail.html", context)


@cached_for_visitors(municipality_content_version, query=("seite",))
def neighbourhood_detail(
    request: HttpRequest, municipality_slug: str, neighbourhood_slug: str
) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    neighbourhood = neighbourhood_get(municipality=municipality, slug=neighbourhood_slug)
    projects = project_list(
        municipality=municipality,
        user=request.user,
        filters=ProjectFilters(neighbourhood=neighbourhood, with_whole_town=True),
    )
    return render(
        request,
        "projects/neighbourhood_detail.html",
        {
            "municipality": municipality,
            "neighbourhood": neighbourhood,
            "page": _project_page(request, projects, municipality),
        },
    )


def project_page_context(request: HttpRequest, municipality: Any, project: Project) -> dict:
    """What the project's public page shows; the workspace's preview shows the same."""
    return {
        "municipality": municipality,
        "project": project,
        "phases": list(project.phases.all()),
        "phase_changes": project.phase_changes.all()[:PHASE_CHANGES_SHOWN],
        "all_phases": PhaseKind,
        "documents": project.documents.all(),
        "idea_count": Idea.objects.filter(project=project).count(),
        "poll_count": project.polls.count(),
        "can_contribute": rules.test_rule("projects.can_contribute", request.user, project),
        "can_manage": rules.test_rule("projects.can_manage", request.user, project),
        "following": is_following(user=request.user, project=project),
        "next": next_steps([project], municipality=municipality, user=request.user)[project.pk],
    }


@cached_for_visitors(project_content_version)
def project_detail(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(municipality=municipality, slug=project_slug, user=request.user)
    return render(
        request,
        "projects/project_detail.html",
        project_page_context(request, municipality, project),
    )

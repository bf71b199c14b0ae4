from __future__ import annotations

from typing import Any

import rules
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koproduktion.core.htmx import wants_fragment
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
from .selectors import ProjectFilters, project_content_version, project_get, project_list

PROJECTS_PER_PAGE = 20


def project_for_request(
    request: HttpRequest, municipality_slug: str, project_slug: str, *, related: bool = True
) -> Any:
    """The project named in the URL, if the person may see it (404 otherwise).

    ``related=False``: without its timeline and documents (``project_get``).
    """
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(
        municipality=municipality, slug=project_slug, user=request.user, related=related
    )
    project.municipality = municipality
    return project


def _project_page(request: HttpRequest, projects) -> Page:
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("seite"))
    confirm_page(request, page)
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
        request, project_list(municipality=municipality, user=request.user, filters=form.filters())
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
    context["can_manage"] = rules.test_rule("projects.can_manage", request.user, municipality)
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
        filters=ProjectFilters(neighbourhood=neighbourhood),
    )
    return render(
        request,
        "projects/neighbourhood_detail.html",
        {
            "municipality": municipality,
            "neighbourhood": neighbourhood,
            "page": _project_page(request, projects),
        },
    )


@cached_for_visitors(project_content_version)
def project_detail(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(municipality=municipality, slug=project_slug, user=request.user)
    phases = list(project.phases.all())
    return render(
        request,
        "projects/project_detail.html",
        {
            "municipality": municipality,
            "project": project,
            "phases": phases,
            "all_phases": PhaseKind,
            "documents": project.documents.all(),
            "idea_count": Idea.objects.filter(project=project).count(),
            "poll_count": project.polls.count(),
            "can_contribute": rules.test_rule("projects.can_contribute", request.user, project),
            "following": is_following(user=request.user, project=project),
        },
    )

"""The ideas of a project: the list (kept whole for visitors and, with each person's parts
filled in, for everyone logged in) and the ideas like the one being written."""

from __future__ import annotations

import functools

import rules
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from koproduktion.core.htmx import wants_fragment
from koproduktion.core.layout import member_page
from koproduktion.core.page_cache import (
    cached_count,
    cached_for_visitors,
    confirm_filters,
    confirm_page,
    confirm_query,
    shared_part,
)
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.views import project_for_request

from ..cards import fill_counts
from ..forms import IdeaFilterForm
from ..geo import ideas_geojson
from ..models import Idea
from ..next_steps import idea_steps
from ..selectors import IdeaFilters, idea_list
from ..versions import idea_list_key, idea_list_version

IDEAS_PER_PAGE = 20


FILTERS = ("status", "topic", "neighbourhood", "sortierung")
LIST_QUERY = (*FILTERS, "seite")


@cached_for_visitors(idea_list_version, query=LIST_QUERY, fill=fill_counts)
def idea_list_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """The project's ideas, 20 a page, filtered and ordered.

    The list (with the filters' form and the map) is the same for everyone: it is kept per
    version of the project's list (``ideas.versions``) and filled in with the counts and the
    person's own supports per response (``ideas.cards``); only the rest of the page is theirs.
    """
    project = project_for_request(request, municipality_slug, project_slug, related=False)

    def filter_form() -> IdeaFilterForm:
        return IdeaFilterForm(request.GET or None, municipality=project.municipality)

    if any(name in request.GET for name in FILTERS):
        form = filter_form()
        confirm_filters(request, form)
        filters = form.filters()
    else:  # the usual: no filter, and no form to build unless the list is rendered
        confirm_query(request, **dict.fromkeys(FILTERS, ""))
        form, filters = functools.cache(filter_form), IdeaFilters()
    version = idea_list_key(project, filters.order)
    # The count changes only with the project's version: kept with it, read from the cache.
    count = cached_count(
        f"ideas:{project.pk}:{filters.key}",
        idea_list_key(project, "neu"),
        lambda: idea_list(project=project, filters=filters).count(),
    )
    page = Paginator(range(count), IDEAS_PER_PAGE).get_page(request.GET.get("seite"))
    confirm_page(request, page)
    first = (page.number - 1) * IDEAS_PER_PAGE

    @functools.cache
    def ideas() -> list[Idea]:
        """The page's ideas: read (and their query built) only when the list is rendered."""
        return list(idea_list(project=project, filters=filters)[first : first + IDEAS_PER_PAGE])

    shared = {
        "project": project,
        "municipality": project.municipality,
        "filter_form": form,
        "page": page,
        "ideas": ideas,
        "map_features": functools.cache(
            lambda: ideas_geojson(ideas(), project=project, counts=False, places=True)
        ),
        "map_tile_url": settings.MAP_TILE_URL,
        "area": project.municipality.area,
    }
    template = "ideas/_idea_list.html" if wants_fragment(request) else "ideas/_idea_listing.html"

    def listing() -> str:
        return shared_part(
            request,
            template,
            version,
            lambda: render_to_string(template, shared, request),
            query=LIST_QUERY,
        )

    if wants_fragment(request):
        return HttpResponse(listing())

    def contribute() -> str:
        """Whether and how the person may post an idea here: theirs alone on the page (rendered
        without the context processors: it needs nothing of theirs but the person)."""
        return render_to_string(
            "ideas/_contribute.html",
            {
                "request": request,
                "user": request.user,
                "project": project,
                "municipality": project.municipality,
                "can_post": rules.test_rule("projects.can_contribute", request.user, project),
                "can_record": rules.test_rule("ideas.can_record_on_behalf", request.user, project),
                "refusal": refusal_reason(request.user, project, Capability.CONTRIBUTE),
                # What posting an idea needs and until when, with the way to it (log-in,
                # registration).
                "contribute_step": next(
                    (
                        step
                        for _, step in idea_steps([project], request.user)
                        if step.capability is Capability.CONTRIBUTE
                    ),
                    None,
                ),
            },
        )

    # The rest of the page is the same for everyone logged in: kept whole (core.layout).
    return member_page(
        request,
        "ideas/idea_list.html",
        {"project": project, "municipality": project.municipality, "listing": listing},
        version=version,
        query=LIST_QUERY,
        personal={"contribute": contribute},
    )

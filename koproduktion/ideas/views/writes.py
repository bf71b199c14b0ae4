"""What people do with ideas: post, edit, support and withdraw them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.htmx import wants_fragment
from koproduktion.core.models import Place
from koproduktion.core.ratelimit import RateLimited, check_rate, client_ip
from koproduktion.core.selectors import place_search
from koproduktion.moderation.selectors import community_rules_for
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.views import project_for_request

from .. import services
from ..forms import IdeaForm
from ..models import Idea, Source
from ..selectors import idea_get, supported_idea_ids
from ..similarity import similar_ideas


@dataclass(frozen=True)
class PlaceSearch:
    text: str
    found: list[Place]


# The button that shows the ideas like the draft without publishing it (works without JavaScript).
CHECK_SIMILAR = "aehnliche"


# What posting and editing an idea both save of its form.
SAVED_FIELDS = ("title", "text", "topic", "neighbourhood", "latitude", "longitude", "address")


def _similar(request: HttpRequest, project: Any, data: QueryDict) -> dict[str, Any]:
    """What the list of ideas like the draft in ``data`` (its title and text) shows."""
    title, text = data.get("title", "")[:200], data.get("text", "")[:6000]
    hits = similar_ideas(project_id=project.pk, title=title, text=text) if title or text else []
    ideas = [hit.idea for hit in hits]
    supported = supported_idea_ids(user=request.user, ideas=ideas)
    for idea in ideas:
        idea.project = project
        idea.supported = idea.pk in supported
        idea.can_support = not idea.supported and rules.test_rule(
            "ideas.can_support", request.user, idea
        )
    return {"similar": ideas, "drafted": bool(title.strip() or text.strip())}


@require_http_methods(["GET"])
def similar_ideas_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    """The ideas of the project like a draft (``?title=…&text=…``): the hints of the idea form,
    which asks for them as the person types; as a page of its own without htmx."""
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    context = {"project": project, "municipality": project.municipality}
    try:
        check_rate(action="similar_ideas", user=request.user, ip=client_ip(request))
    except RateLimited as limited:
        context["limited"] = limited.message
        status = 429
    else:
        context |= _similar(request, project, request.GET)
        status = 200
    if wants_fragment(request):
        context["in_form"] = True  # swapped into the idea form
        return render(request, "ideas/_similar_ideas.html", context, status=status)
    return render(request, "ideas/similar_ideas.html", context, status=status)


@require_http_methods(["GET", "POST"])
def idea_create_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    on_behalf = rules.test_rule("ideas.can_record_on_behalf", request.user, project)
    refusal = None if on_behalf else refusal_reason(request.user, project, Capability.CONTRIBUTE)
    similar_url = reverse("ideas:similar", args=[municipality_slug, project_slug])
    checking = request.method == "POST" and CHECK_SIMILAR in request.POST
    similar: dict[str, Any] = {}
    search = None
    if checking:
        # Shows the draft as typed with the ideas like it; nothing is checked or published yet.
        form = IdeaForm(
            initial=request.POST.dict(),
            project=project,
            on_behalf=on_behalf,
            similar_url=similar_url,
        )
        similar = _similar(request, project, request.POST)
    else:
        form, search = _idea_form(request, project, on_behalf=on_behalf, similar_url=similar_url)
    if (
        request.method == "POST"
        and not checking
        and search is None
        and refusal is None
        and form.is_valid()
    ):
        data = form.cleaned_data
        try:
            idea = services.idea_create(
                actor=request.user,
                project=project,
                **{name: data[name] for name in SAVED_FIELDS},
                source=data.get("source") or Source.ONLINE,
                contributor_name=data.get("contributor_name", ""),
                ip=client_ip(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(request, _("Danke! Ihre Idee ist veröffentlicht."))
            return redirect(services.idea_url(idea))
    return _form_page(
        request,
        project,
        form,
        search,
        refusal=refusal,
        on_behalf=on_behalf,
        checked_similar=checking,
        **similar,
    )


# The button that searches the town's gazetteer instead of sending the idea.
PLACE_SEARCH = "place-search"


def _idea_form(
    request: HttpRequest,
    project: Any,
    *,
    instance: Idea | None = None,
    on_behalf: bool = False,
    similar_url: str = "",
) -> tuple[IdeaForm, PlaceSearch | None]:
    """The idea form of this request, and the search of the gazetteer if one was asked for.

    A search ("Ort suchen", which works without JavaScript) sends the whole form: it comes back
    with everything as typed, unchecked (nothing is saved, so nothing is refused yet), and the
    places found to choose from.
    """
    if request.method != "POST" or request.POST.get("action") != PLACE_SEARCH:
        form = IdeaForm(
            request.POST or None,
            instance=instance,
            project=project,
            on_behalf=on_behalf,
            similar_url=similar_url,
        )
        return form, None
    typed = {
        name: value
        for name, value in request.POST.dict().items()
        if name not in {"csrfmiddlewaretoken", "action"}
    }
    text = typed.get("place_search", "")[:100]
    found = place_search(municipality=project.municipality, text=text)
    form = IdeaForm(
        initial=typed,
        instance=instance,
        project=project,
        on_behalf=on_behalf,
        similar_url=similar_url,
        places=found,
    )
    return form, PlaceSearch(text=text.strip(), found=found)


@require_http_methods(["GET", "POST"])
@login_required
def idea_edit_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    idea = idea_get(project=project, pk=idea_id)
    idea.project = project
    if not rules.test_rule("ideas.can_edit", request.user, idea):
        raise PermissionDenied
    form, search = _idea_form(request, project, instance=idea)
    if search is None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_update(
                actor=request.user,
                idea=idea,
                **{name: data[name] for name in SAVED_FIELDS},
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(services.idea_url(idea))
    return _form_page(request, project, form, search, idea=idea)


def _form_page(
    request: HttpRequest,
    project: Any,
    form: IdeaForm,
    search: PlaceSearch | None,
    **context: Any,
) -> HttpResponse:
    """The idea form (new or edited) with the town's rules and map; 400 when it has errors."""
    municipality = project.municipality
    return render(
        request,
        "ideas/idea_form.html",
        {
            "project": project,
            "municipality": municipality,
            "form": form,
            "rules": community_rules_for(municipality),
            "map_tile_url": settings.MAP_TILE_URL,
            "area": municipality.area,
            "place_search": search,
            **context,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def idea_for_request(request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int):
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    idea = idea_get(project=project, pk=idea_id)
    idea.project = project
    return idea


def refused(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error.args[0]) if error.args else _("Das ist nicht möglich."))


@require_POST
@login_required
def idea_support_view(request, municipality_slug, project_slug, idea_id) -> HttpResponse:
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    try:
        if request.POST.get("action") == "withdraw-support":
            services.idea_unsupport(actor=request.user, idea=idea)
        else:
            services.idea_support(actor=request.user, idea=idea)
    except (PermissionDenied, ValidationError) as error:
        refused(request, error)
    return redirect(services.idea_url(idea) + "#unterstuetzen")


@require_http_methods(["GET", "POST"])
@login_required
def idea_withdraw_view(request, municipality_slug, project_slug, idea_id) -> HttpResponse:
    """Asks first, on a page of its own (works without JavaScript); withdraws on "Ja"."""
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    if request.method == "POST" and request.POST.get("bestaetigt") == "ja":
        try:
            services.idea_withdraw(actor=request.user, idea=idea)
            messages.success(request, _("Sie haben Ihre Idee zurückgezogen."))
        except PermissionDenied as error:
            refused(request, error)
        return redirect(services.idea_url(idea))
    if not rules.test_rule("ideas.can_withdraw", request.user, idea):
        refused(
            request, PermissionDenied(_("Nur wer die Idee eingestellt hat, kann sie zurückziehen."))
        )
        return redirect(services.idea_url(idea))
    return render(
        request,
        "ideas/idea_withdraw.html",
        {
            "project": idea.project,
            "municipality": idea.project.municipality,
            "idea": idea,
            "idea_path": services.idea_url(idea),
        },
    )

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.htmx import wants_fragment
from koproduktion.core.layout import member_page
from koproduktion.core.models import Place
from koproduktion.core.page_cache import (
    cached_count,
    cached_for_visitors,
    confirm_filters,
    confirm_page,
    confirm_query,
    kept_part,
    shared_part,
)
from koproduktion.core.ratelimit import RateLimited, check_rate, client_ip
from koproduktion.core.selectors import place_search
from koproduktion.dialogue.forms import CommentForm
from koproduktion.dialogue.models import Comment
from koproduktion.dialogue.pages import (
    comment_form_html,
    discussion,
    fill_report_links,
    thread_pages,
)
from koproduktion.dialogue.rules import discussion_permissions
from koproduktion.dialogue.selectors import comment_url
from koproduktion.moderation.selectors import community_rules_for
from koproduktion.notifications.selectors import is_following
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.views import project_for_request

from . import services
from .cards import fill_counts
from .forms import IdeaFilterForm, IdeaForm, IdeaMergeForm, IdeaStatusForm
from .geo import ideas_geojson
from .models import Idea, Source
from .next_steps import idea_steps
from .selectors import IdeaFilters, idea_get, idea_list, supported_idea_ids
from .similarity import similar_ideas
from .versions import idea_list_key, idea_list_version, idea_page_key, idea_page_version

IDEAS_PER_PAGE = 20


@dataclass(frozen=True)
class PlaceSearch:
    text: str
    found: list[Place]


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


# The button that shows the ideas like the draft without publishing it (works without JavaScript).
CHECK_SIMILAR = "aehnliche"


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
                title=data["title"],
                text=data["text"],
                topic=data["topic"],
                neighbourhood=data["neighbourhood"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
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
    return render(
        request,
        "ideas/idea_form.html",
        {
            "project": project,
            "municipality": project.municipality,
            "form": form,
            "refusal": refusal,
            "on_behalf": on_behalf,
            "rules": community_rules_for(project.municipality),
            "map_tile_url": settings.MAP_TILE_URL,
            "area": project.municipality.area,
            "checked_similar": checking,
            **similar,
            "place_search": search,
        },
        status=400 if form.is_bound and form.errors else 200,
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


# ``?antwort=`` starts a reply, which visitors cannot write: their copy ignores it.
@cached_for_visitors(idea_page_version, query=("seite",), fill=fill_report_links)
def idea_detail_view(
    request: HttpRequest,
    municipality_slug: str,
    project_slug: str,
    idea_id: int,
    *,
    comment_form: CommentForm | None = None,
    status_form: IdeaStatusForm | None = None,
    merge_form: IdeaMergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    # Read the idea as kept at its page's version, unless the view answers a write (a comment
    # form with errors) or the project is not public (no such version: read afresh).
    version = (
        idea_page_version(
            municipality_slug=municipality_slug, project_slug=project_slug, idea_id=idea_id
        )
        if request.method in ("GET", "HEAD")
        else None
    )
    idea = idea_get(project=project, pk=idea_id, version=version)
    idea.project = project
    user = request.user
    permissions = discussion_permissions(user, idea)
    can_record = rules.test_rule("ideas.can_record_on_behalf", user, project)
    official = rules.test_rule("dialogue.can_answer_officially", user, idea)
    threads = thread_pages(idea=idea, page_number=request.GET.get("seite"))
    confirm_page(request, threads)
    idea_path = services.idea_url(idea)
    comment_form = comment_form or CommentForm(
        official=official,
        on_behalf=can_record,
        initial=_reply_initial(request),
        readability_minimum=project.municipality.min_readability,
    )
    context = {
        "project": project,
        "municipality": project.municipality,
        "idea": idea,
        "idea_path": idea_path,
        # What the idea says and what became of it, the same for everyone: rendered once per
        # version of the idea (its Markdown too), not on every view.
        "idea_body": _kept(
            request,
            "ideas/_idea_body.html",
            idea,
            map_features=lambda: ideas_geojson([idea], project=project) if idea.has_point else None,
            map_tile_url=settings.MAP_TILE_URL,
            area=project.municipality.area,
        ),
        "idea_record": _kept(
            request,
            "ideas/_idea_record.html",
            idea,
            status_history=lambda: idea.status_changes.select_related("changed_by"),
            decisions=idea.decisions.all,
            municipality=project.municipality,
        ),
        "discussion": discussion(
            request,
            idea=idea,
            threads=threads,
            permissions=permissions,
            project=project,
            municipality=project.municipality,
            idea_path=idea_path,
        ),
        "supported": idea.pk in supported_idea_ids(user=user, ideas=[idea]),
        "following": is_following(user=user, idea=idea),
        "can_support": rules.test_rule("ideas.can_support", user, idea),
        **permissions,
        "comment_refusal": None
        if permissions["can_comment"]
        else (
            refusal_reason(user, project, Capability.CONTRIBUTE)
            or _("Kommentare sind für diese Idee geschlossen.")
        ),
        "can_edit": rules.test_rule("ideas.can_edit", user, idea),
        "can_withdraw": rules.test_rule("ideas.can_withdraw", user, idea),
        "can_change_status": rules.test_rule("ideas.can_change_status", user, idea),
        "comment_form": comment_form,
        "comment_form_html": comment_form_html(comment_form),
        "replying_to": _replying_to(idea, comment_form),
        "status_form": lambda: status_form or IdeaStatusForm(initial={"status": idea.status}),
        "can_merge": idea.merged_into_id is None and rules.test_rule("ideas.can_merge", user, idea),
        "merge_form": lambda: merge_form or IdeaMergeForm(),
        # Staff merging a duplicate see the ideas it resembles, with their numbers.
        "merge_candidates": functools.cache(
            lambda: similar_ideas(
                project_id=project.pk, title=idea.title, text=idea.text, exclude=[idea.pk]
            )
        ),
        # Asked for only where the comment form shows, once.
        "rules": functools.cache(functools.partial(community_rules_for, project.municipality)),
        "map_tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "ideas/idea_detail.html", context, status=status)


def _kept(request: HttpRequest, template: str, idea: Any, **context: Any) -> str:
    """``template`` rendered with the idea and ``context`` (callables are called when the part
    is rendered, so a kept part costs none of them), kept per version of the idea."""

    def render() -> str:
        values = {name: value() if callable(value) else value for name, value in context.items()}
        return render_to_string(template, {"idea": idea, **values}, request)

    # Per idea as well: two ideas of a project can be at the same versions.
    return kept_part(template, idea_page_key(idea), render, address=str(idea.pk))


def _reply_initial(request: HttpRequest) -> dict[str, int]:
    """``?antwort=<id>`` on the idea page starts a reply to that comment."""
    wanted = request.GET.get("antwort", "")
    return {"parent": int(wanted)} if wanted.isdigit() and len(wanted) < 12 else {}


def _replying_to(idea: Any, form: CommentForm) -> str | None:
    """Where the comment the form replies to is read, if it replies to one of this idea's."""
    wanted = form["parent"].value()
    if not str(wanted or "").isdigit() or len(str(wanted)) >= 12:
        return None
    parent = Comment.objects.filter(idea=idea, pk=int(wanted)).first()
    if parent is None:
        return None
    parent.idea = idea
    return comment_url(parent)


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
                title=data["title"],
                text=data["text"],
                topic=data["topic"],
                neighbourhood=data["neighbourhood"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(services.idea_url(idea))
    return render(
        request,
        "ideas/idea_form.html",
        {
            "project": project,
            "municipality": project.municipality,
            "form": form,
            "idea": idea,
            "rules": community_rules_for(project.municipality),
            "map_tile_url": settings.MAP_TILE_URL,
            "area": project.municipality.area,
            "place_search": search,
        },
        status=400 if form.errors else 200,
    )


def idea_for_request(request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int):
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    idea = idea_get(project=project, pk=idea_id)
    idea.project = project
    return idea


def _refused(request: HttpRequest, error: Exception) -> None:
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
        _refused(request, error)
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
            _refused(request, error)
        return redirect(services.idea_url(idea))
    if not rules.test_rule("ideas.can_withdraw", request.user, idea):
        _refused(
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


@require_POST
@login_required
def idea_status_view(request, municipality_slug, project_slug, idea_id) -> HttpResponse:
    """Change the status; a refused change comes back with the chosen status and its reason."""
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    if not rules.test_rule("ideas.can_change_status", request.user, idea):
        messages.error(request, _("Den Status ändert die Verwaltung."))
        return redirect(services.idea_url(idea) + "#status")
    form = IdeaStatusForm(request.POST)

    def change() -> tuple[str, str]:
        services.idea_set_status(
            actor=request.user,
            idea=idea,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        done = _("Der Status ist geändert; alle Beteiligten werden benachrichtigt.")
        return done, services.idea_url(idea) + "#status"

    return _staff_action(request, idea, form, change) or idea_detail_view(
        request, municipality_slug, project_slug, idea_id, status_form=form, status=400
    )


@require_POST
@login_required
def idea_merge_view(request, municipality_slug, project_slug, idea_id) -> HttpResponse:
    """Merge this idea, a duplicate, into the original given by its number or address."""
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    if not rules.test_rule("ideas.can_merge", request.user, idea):
        messages.error(
            request, _("Ideen führt zusammen, wer das Vorhaben in der Verwaltung betreut.")
        )
        return redirect(services.idea_url(idea) + "#status")
    form = IdeaMergeForm(request.POST)

    def merge() -> tuple[str, str]:
        # Looked for in the whole town, so that another project's idea is refused with its
        # reason; another town's is not there at all.
        original = (
            Idea.objects.select_related("project__municipality")
            .filter(municipality_id=idea.municipality_id, pk=form.cleaned_data["original"])
            .first()
        )
        if original is None:
            raise ValidationError(
                {"original": _("In dieser Kommune gibt es keine Idee mit dieser Nummer.")}
            )
        services.idea_merge(
            actor=request.user,
            duplicate=idea,
            original=original,
            reason=form.cleaned_data["reason"],
        )
        done = _(
            "Zusammengeführt: Die Unterstützungen zählen jetzt für „%(title)s“; alle Beteiligten "
            "werden benachrichtigt."
        ) % {"title": original.title}
        return done, services.idea_url(original)

    return _staff_action(request, idea, form, merge) or idea_detail_view(
        request, municipality_slug, project_slug, idea_id, merge_form=form, status=400
    )


def _staff_action(
    request: HttpRequest, idea: Any, form: Any, act: Callable[[], tuple[str, str]]
) -> HttpResponse | None:
    """Run ``act`` for a valid ``form`` of the staff on an idea's page: it calls the service
    and gives the message and the page to go to. None where the form shows what to correct."""
    if not form.is_valid():
        return None
    try:
        done, target = act()
    except PermissionDenied as error:
        _refused(request, error)
        return redirect(services.idea_url(idea) + "#status")
    except ValidationError as error:
        form_errors_from(form, error)
        return None
    messages.success(request, done)
    return redirect(target)

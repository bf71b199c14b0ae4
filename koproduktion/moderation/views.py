from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.models import Block
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.redirects import next_url
from koproduktion.core.selectors import municipality_get
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_url

from . import services
from .forms import BlockForm, CommunityRulesForm, ReasonForm, ReportForm
from .rules import PersonInTown, discipline_refusal
from .selectors import (
    community_rules_for,
    moderation_log,
    moderation_person_get,
    report_queue,
)


def _municipality(request: HttpRequest, slug: str, rule: str) -> Any:
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule(rule, request.user, municipality):
        raise PermissionDenied
    return municipality


def _contribution(municipality: Any, kind: str, pk: int) -> tuple[Idea | None, Comment | None]:
    model = {"idee": Idea, "kommentar": Comment}.get(kind)
    if model is None:
        raise Http404
    target = (
        model.objects.select_related("project").filter(municipality=municipality, pk=pk).first()
    )
    if target is None:
        raise Http404
    return (target, None) if model is Idea else (None, target)


def _idea_of(idea: Idea | None, comment: Comment | None) -> Idea:
    return idea if idea is not None else comment.idea  # type: ignore[union-attr]


def community_rules_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    return render(
        request,
        "moderation/community_rules.html",
        {
            "municipality": municipality,
            "rules": community_rules_for(municipality),
            "can_edit": rules.test_rule("moderation.can_set_rules", request.user, municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def community_rules_edit_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _municipality(request, municipality_slug, "moderation.can_set_rules")
    current = community_rules_for(municipality)
    form = CommunityRulesForm(
        request.POST or None,
        initial={
            "summary": current.summary,
            "text": current.text,
            "summary_en": current.summary_en,
            "text_en": current.text_en,
        }
        if current
        else None,
    )
    if request.method == "POST" and form.is_valid():
        services.community_rules_set(
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        messages.success(request, _("Die Gemeinschaftsregeln sind gespeichert."))
        return redirect("moderation:rules", municipality.slug)
    return render(
        request,
        "moderation/community_rules_form.html",
        {"municipality": municipality, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_view(request: HttpRequest, municipality_slug: str, kind: str, pk: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    idea, comment = _contribution(municipality, kind, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                idea=idea,
                comment=comment,
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(request, _("Danke, die Moderation sieht sich den Beitrag an."))
            return redirect(idea_url(_idea_of(idea, comment)))
    return render(
        request,
        "moderation/report_form.html",
        {
            "municipality": municipality,
            "form": form,
            "idea": idea,
            "comment": comment,
            "rules": community_rules_for(municipality),
        },
        status=400 if form.errors else 200,
    )


@login_required
def queue_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _municipality(request, municipality_slug, "moderation.can_moderate")
    return render(
        request,
        "moderation/queue.html",
        {
            "municipality": municipality,
            "items": report_queue(municipality=municipality),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def log_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _municipality(request, municipality_slug, "moderation.can_read_log")
    page = Paginator(moderation_log(municipality=municipality), 50).get_page(
        request.GET.get("seite")
    )
    return render(request, "moderation/log.html", {"municipality": municipality, "page": page})


ACTIONS = {
    "ausblenden": services.contribution_hide,
    "wiederherstellen": services.contribution_restore,
    "zurueckweisen": services.reports_dismiss,
}


@require_POST
@login_required
def moderate_view(
    request: HttpRequest, municipality_slug: str, kind: str, pk: int, action: str
) -> HttpResponse:
    municipality = _municipality(request, municipality_slug, "moderation.can_moderate")
    idea, comment = _contribution(municipality, kind, pk)
    service = ACTIONS.get(action)
    if service is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie eine Begründung an (mindestens 5 Zeichen)."))
    else:
        try:
            service(
                moderator=request.user,
                idea=idea,
                comment=comment,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Erledigt und im Moderationsprotokoll vermerkt."))
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(next_url(request, default=idea_url(_idea_of(idea, comment))))


@require_http_methods(["GET", "POST"])
@login_required
def person_view(request: HttpRequest, municipality_slug: str, user_id: int) -> HttpResponse:
    """Warn, block or unblock a person in this municipality."""
    municipality = _municipality(request, municipality_slug, "moderation.can_moderate")
    person = moderation_person_get(municipality=municipality, user_id=user_id)
    if person is None:
        raise Http404
    form = BlockForm(request.POST or None)
    action = request.POST.get("action")
    refusal = discipline_refusal(
        request.user, PersonInTown(municipality=municipality, person=person)
    )
    # The services refuse the same; the page says why (and offers no form) instead.
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "warn":
                services.user_warn(
                    moderator=request.user,
                    municipality=municipality,
                    user=person,
                    reason=data["reason"],
                )
            elif action == "block":
                services.user_block(
                    moderator=request.user,
                    municipality=municipality,
                    user=person,
                    reason=data["reason"],
                    ends_at=data["ends_at"],
                )
            elif action == "unblock":
                services.user_unblock(
                    moderator=request.user,
                    municipality=municipality,
                    user=person,
                    reason=data["reason"],
                )
            else:
                raise Http404
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Erledigt und im Moderationsprotokoll vermerkt."))
            return redirect("moderation:person", municipality.slug, person.pk)
    blocks = Block.objects.filter(municipality=municipality, user=person)
    return render(
        request,
        "moderation/person.html",
        {
            "municipality": municipality,
            "person": person,
            "form": form,
            "blocks": blocks,
            "refusal": refusal,
        },
        status=403 if request.method == "POST" and refusal else 400 if form.errors else 200,
    )

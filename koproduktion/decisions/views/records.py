"""The public decision log, a decision with its versions, and recording or editing one."""

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
from django.views.decorators.http import require_http_methods

from koproduktion.core.forms import form_errors_from
from koproduktion.core.selectors import municipality_get
from koproduktion.projects.views import project_for_request

from .. import services
from ..forms import (
    DecisionForm,
)
from ..models import Decision
from ..selectors import decision_list
from ..services.records import VERSIONED_FIELDS, decision_url


def decision_list_view(
    request: HttpRequest, municipality_slug: str, project_slug: str | None = None
) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = (
        project_for_request(request, municipality_slug, project_slug) if project_slug else None
    )
    decisions = decision_list(municipality=municipality, user=request.user, project=project)
    page = Paginator(decisions, 30).get_page(request.GET.get("seite"))
    return render(
        request,
        "decisions/decision_list.html",
        {
            "municipality": municipality,
            "project": project,
            "page": page,
            "can_record": rules.test_rule(
                "decisions.can_record", request.user, project or municipality
            ),
        },
    )


def _decision(
    request: HttpRequest, municipality_slug: str, decision_id: int
) -> tuple[Any, Decision]:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    decision = (
        Decision.objects.filter(municipality=municipality, pk=decision_id)
        .select_related("project__municipality")
        .first()
    )
    if decision is not None:
        decision.municipality = municipality
    if decision is None or not rules.test_rule(
        "decisions.can_view_decision", request.user, decision
    ):
        raise Http404
    return municipality, decision


def decision_detail_view(
    request: HttpRequest, municipality_slug: str, decision_id: int
) -> HttpResponse:
    municipality, decision = _decision(request, municipality_slug, decision_id)
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "municipality": municipality,
            "decision": decision,
            "ideas": decision.ideas.select_related("project"),
            "polls": decision.polls.select_related("project"),
            "versions": decision.versions.select_related("edited_by"),
            "can_record": rules.test_rule("decisions.can_record", request.user, decision),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def decision_form_view(
    request: HttpRequest, municipality_slug: str, decision_id: int | None = None
) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("decisions.can_record", request.user, municipality):
        raise PermissionDenied
    decision = _decision(request, municipality_slug, decision_id)[1] if decision_id else None
    project = decision.project if decision else None
    if project is None and request.GET.get("vorhaben"):
        project = project_for_request(request, municipality_slug, request.GET["vorhaben"])
    if not rules.test_rule(
        "decisions.can_record", request.user, decision or project or municipality
    ):
        raise PermissionDenied
    initial = {"project": project}
    if decision:
        initial.update({name: getattr(decision, name) for name in VERSIONED_FIELDS})
        initial.update({"ideas": decision.ideas.all(), "polls": decision.polls.all()})
    form = DecisionForm(
        request.POST or None,
        request.FILES or None,
        municipality=municipality,
        user=request.user,
        project=project,
        editing=decision is not None,
        initial=initial,
    )
    if form.readability_checked(request):
        return _decision_form_page(request, municipality, form, decision, status=200)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if decision is None:
                decision = services.decision_record(
                    actor=request.user,
                    municipality=municipality,
                    project=data["project"],
                    title=data["title"],
                    body=data["body"],
                    body_name=data["body_name"],
                    decided_on=data["decided_on"],
                    outcome=data["outcome"],
                    reasons=data["reasons"],
                    plain_summary=data["plain_summary"],
                    ideas=list(data["ideas"]),
                    polls=list(data["polls"]),
                    minutes=data["minutes"],
                    minutes_url=data["minutes_url"],
                )
                messages.success(
                    request,
                    _("Der Beschluss ist veröffentlicht; die Beteiligten werden benachrichtigt."),
                )
            else:
                changes = {name: data[name] for name in VERSIONED_FIELDS}
                if data["minutes"]:
                    changes["minutes"] = data["minutes"]
                decision = services.decision_update(
                    actor=request.user,
                    decision=decision,
                    change_note=data["change_note"],
                    ideas=list(data["ideas"]),
                    polls=list(data["polls"]),
                    **changes,
                )
                messages.success(request, _("Die neue Fassung ist veröffentlicht."))
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect(decision_url(decision))
    return _decision_form_page(
        request, municipality, form, decision, status=400 if form.errors else 200
    )


def _decision_form_page(
    request: HttpRequest,
    municipality: Any,
    form: DecisionForm,
    decision: Decision | None,
    *,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "decisions/decision_form.html",
        {"municipality": municipality, "form": form, "decision": decision},
        status=status,
    )

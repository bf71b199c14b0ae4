from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.selectors import municipality_get
from koproduktion.ideas.services import idea_set_cost, idea_url
from koproduktion.ideas.views import _idea_action, _project, form_errors_from

from . import services
from .eligibility import verification_of, vote_refusal
from .forms import (
    BallotForm,
    CodeBatchForm,
    CostForm,
    DecisionForm,
    RedeemCodeForm,
    VerifyPersonForm,
)
from .models import Decision, Participation, Poll
from .results import poll_results, results_csv
from .services.records import decision_url


def _poll(request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int) -> Poll:
    project = _project(request, municipality_slug, project_slug)
    poll = Poll.objects.filter(project=project, pk=poll_id).select_related("neighbourhood").first()
    if poll is None:
        raise Http404
    poll.project = project
    return poll


def poll_list_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    return render(
        request,
        "decisions/poll_list.html",
        {
            "project": project,
            "municipality": project.municipality,
            "polls": Poll.objects.filter(project=project).order_by("-opens_at"),
        },
    )


@require_http_methods(["GET", "POST"])
def poll_detail_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int
) -> HttpResponse:
    poll = _poll(request, municipality_slug, project_slug, poll_id)
    refusal = vote_refusal(request.user, poll)
    voted = (
        request.user.is_authenticated
        and Participation.objects.filter(poll=poll, voter=request.user).exists()
    )
    form = BallotForm(request.POST or None, poll=poll)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            try:
                services.ballot_cast(
                    voter=request.user, poll=poll, choices=form.choices(), ip=client_ip(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            except (PermissionDenied, RateLimited) as refused:
                form.add_error(None, str(refused.args[0] if refused.args else refused))
            else:
                messages.success(request, _("Ihre Stimme ist abgegeben. Sie bleibt geheim."))
                return redirect(request.path)
    return render(
        request,
        "decisions/poll_detail.html",
        {
            "poll": poll,
            "project": poll.project,
            "municipality": poll.project.municipality,
            "form": form,
            "refusal": refusal,
            "voted": voted,
            "can_see_results": rules.test_rule("decisions.can_see_results", request.user, poll),
            "verification": verification_of(request.user, poll.municipality_id),
        },
        status=400 if form.errors else 200,
    )


def poll_results_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int, fmt: str = "html"
) -> HttpResponse:
    poll = _poll(request, municipality_slug, project_slug, poll_id)
    if not rules.test_rule("decisions.can_see_results", request.user, poll):
        raise PermissionDenied(_("Die Ergebnisse erscheinen nach dem Ende der Abstimmung."))
    results = poll_results(poll)
    if fmt == "csv":
        response = HttpResponse(results_csv(results), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="abstimmung-{poll.pk}.csv"'
        return response
    top = max((row.score for row in results.rows), default=0) or 1
    return render(
        request,
        "decisions/poll_results.html",
        {
            "poll": poll,
            "project": poll.project,
            "municipality": poll.project.municipality,
            "results": results,
            "top_score": top,
        },
    )


def decision_list_view(
    request: HttpRequest, municipality_slug: str, project_slug: str | None = None
) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = _project(request, municipality_slug, project_slug) if project_slug else None
    decisions = Decision.objects.filter(municipality=municipality).select_related("project")
    if project is not None:
        decisions = decisions.filter(project=project)
    else:
        decisions = decisions.filter(project__isnull=True) | decisions.filter(
            project__is_published=True
        )
    page = Paginator(decisions.order_by("-decided_on", "-pk"), 30).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "decisions/decision_list.html",
        {
            "municipality": municipality,
            "project": project,
            "page": page,
            "can_record": rules.test_rule("decisions.can_record", request.user, municipality),
        },
    )


def _decision(
    request: HttpRequest, municipality_slug: str, decision_id: int
) -> tuple[Any, Decision]:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    decision = (
        Decision.objects.filter(municipality=municipality, pk=decision_id)
        .select_related("project")
        .first()
    )
    if decision is None or (
        decision.project
        and not rules.test_rule("projects.can_view", request.user, decision.project)
    ):
        raise Http404
    decision.municipality = municipality
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
            "can_record": rules.test_rule("decisions.can_record", request.user, municipality),
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
        project = _project(request, municipality_slug, request.GET["vorhaben"])
    initial = {"project": project}
    if decision:
        initial.update(
            {
                f: getattr(decision, f)
                for f in (
                    "title",
                    "body",
                    "body_name",
                    "decided_on",
                    "outcome",
                    "reasons",
                    "minutes_url",
                )
            }
        )
        initial.update({"ideas": decision.ideas.all(), "polls": decision.polls.all()})
    form = DecisionForm(
        request.POST or None,
        request.FILES or None,
        municipality=municipality,
        project=project,
        editing=decision is not None,
        initial=initial,
    )
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
                changes = {
                    f: data[f]
                    for f in (
                        "title",
                        "body",
                        "body_name",
                        "decided_on",
                        "outcome",
                        "reasons",
                        "minutes_url",
                    )
                }
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
    return render(
        request,
        "decisions/decision_form.html",
        {
            "municipality": municipality,
            "form": form,
            "decision": decision,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def verification_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Residents verify themselves with the code from their letter."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = RedeemCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.code_redeem(
                user=request.user,
                municipality=municipality,
                code=form.cleaned_data["code"],
                birth_date=form.cleaned_data["birth_date"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "Sie sind jetzt verifiziert und können an verbindlichen Abstimmungen teilnehmen."
                ),
            )
            return redirect("decisions:verification", municipality.slug)
    return render(
        request,
        "decisions/verification.html",
        {
            "municipality": municipality,
            "form": form,
            "verification": verification_of(request.user, municipality.pk),
            "can_verify": rules.test_rule("decisions.can_verify", request.user, municipality),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def verification_staff_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Staff verify a person in person, or make a printable batch of postal codes."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("decisions.can_verify", request.user, municipality):
        raise PermissionDenied
    person_form = VerifyPersonForm(
        request.POST if "verify" in request.POST else None, municipality=municipality
    )
    codes_form = CodeBatchForm(
        request.POST if "codes" in request.POST else None, municipality=municipality
    )
    if request.method == "POST" and "verify" in request.POST and person_form.is_valid():
        data = person_form.cleaned_data
        person = get_user_model().objects.filter(email=data["email"].strip().lower()).first()
        if person is None:
            person_form.add_error("email", _("Unter dieser Adresse ist niemand registriert."))
        else:
            try:
                services.verification_grant(
                    actor=request.user,
                    user=person,
                    municipality=municipality,
                    neighbourhood=data["neighbourhood"],
                    birth_date=data["birth_date"],
                )
            except ValidationError as error:
                form_errors_from(person_form, error)
            else:
                messages.success(
                    request, _("%(name)s ist verifiziert.") % {"name": person.public_name}
                )
                return redirect("decisions:verification_staff", municipality.slug)
    if request.method == "POST" and "codes" in request.POST and codes_form.is_valid():
        batch, codes = services.code_batch_create(
            actor=request.user, municipality=municipality, **codes_form.cleaned_data
        )
        # The plain codes exist only in this response: print them now.
        response = render(
            request,
            "decisions/codes_print.html",
            {"municipality": municipality, "batch": batch, "codes": codes},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "decisions/verification_staff.html",
        {
            "municipality": municipality,
            "person_form": person_form,
            "codes_form": codes_form,
        },
    )


@require_POST
@login_required
def idea_cost_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int
) -> HttpResponse:
    idea = _idea_action(request, municipality_slug, project_slug, idea_id)
    form = CostForm(request.POST)
    if form.is_valid():
        try:
            idea_set_cost(
                actor=request.user, idea=idea, cost_cents=int(form.cleaned_data["cost_euros"] * 100)
            )
            messages.success(request, _("Die Kostenschätzung ist gespeichert."))
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _("Bitte geben Sie einen Betrag in Euro an."))
    return redirect(idea_url(idea) + "#status")


def _login_url() -> str:
    from django.urls import reverse  # noqa: PLC0415

    return reverse("accounts:login")

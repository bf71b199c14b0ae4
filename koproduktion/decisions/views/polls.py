"""Polls and budgets: the ballot page, results (HTML and CSV), and cost estimates of ideas."""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import refusal_text
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.ideas.services import idea_set_cost, idea_url
from koproduktion.ideas.views.writes import idea_for_request
from koproduktion.projects.views import project_for_request

from .. import services
from ..eligibility import verification_of, vote_refusal
from ..forms import (
    BallotForm,
    CostForm,
)
from ..models import Participation, Poll
from ..results import poll_results, results_csv


def _poll(request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int) -> Poll:
    project = project_for_request(request, municipality_slug, project_slug)
    poll = Poll.objects.filter(project=project, pk=poll_id).select_related("neighbourhood").first()
    if poll is None:
        raise Http404
    poll.project = project
    return poll


def poll_list_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
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
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                services.ballot_cast(
                    voter=request.user, poll=poll, choices=form.choices(), ip=client_ip(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            except (PermissionDenied, RateLimited) as refused:
                form.add_error(None, refusal_text(refused))
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
            "batch_size": settings.BALLOT_BATCH_SIZE,
        },
    )


@require_POST
@login_required
def idea_cost_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int
) -> HttpResponse:
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
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

"""The council's agenda, recording the council's decision on one of its items, and the town's
setting of who records them."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from
from koproduktion.core.models import Municipality
from koproduktion.core.selectors import municipality_get
from koproduktion.decisions.models import Body, Poll
from koproduktion.decisions.services import decision_record
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

from .forms import CouncilDecisionForm, CouncilRecordingForm
from .selectors import IDEA, POLL, agenda_items, agenda_list
from .services import municipality_council_recording_set

ITEMS_PER_PAGE = 30


def _agenda_municipality(request: HttpRequest, slug: str) -> Municipality:
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule("council.can_view_agenda", request.user, municipality):
        raise PermissionDenied
    return municipality


def _agenda_page(
    request: HttpRequest,
    municipality: Municipality,
    *,
    recording_form: CouncilRecordingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    page = Paginator(agenda_list(municipality=municipality, now=now), ITEMS_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    can_set = rules.test_rule("council.can_set_recording", request.user, municipality)
    return render(
        request,
        "council/agenda.html",
        {
            "municipality": municipality,
            "page": page,
            "items": agenda_items(list(page.object_list), now=now),
            "can_record": rules.test_rule(
                "decisions.can_record_council", request.user, municipality
            ),
            "recording_form": recording_form
            or (
                CouncilRecordingForm(
                    initial={"council_records_decisions": municipality.council_records_decisions}
                )
                if can_set
                else None
            ),
        },
        status=status,
    )


@require_GET
@login_required
def agenda_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """What the platform puts before the council, oldest or most urgent first."""
    return _agenda_page(request, _agenda_municipality(request, municipality_slug))


@require_POST
@login_required
def recording_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's admins let the council's clerk record the council's decisions, or not."""
    municipality = _agenda_municipality(request, municipality_slug)
    if not rules.test_rule("council.can_set_recording", request.user, municipality):
        raise PermissionDenied
    form = CouncilRecordingForm(request.POST)
    if not form.is_valid():  # a checkbox: only a made-up form gets here
        return _agenda_page(request, municipality, recording_form=form, status=400)
    allowed = form.cleaned_data["council_records_decisions"]
    municipality_council_recording_set(
        actor=request.user, municipality=municipality, allowed=allowed
    )
    messages.success(
        request,
        _("Die Schriftführung des Rats trägt die Beschlüsse des Rats jetzt selbst ein.")
        if allowed
        else _("Die Beschlüsse des Rats trägt jetzt die Verwaltung ein."),
    )
    return redirect("council:agenda", municipality.slug)


def _item(
    municipality: Municipality,
    kind: str,
    *,
    idea_id: int | None = None,
    poll_id: int | None = None,
    project_slug: str | None = None,
) -> Idea | Poll | Project:
    """The agenda item's record, as the agenda shows it (public, of this town), or 404."""
    town = {"municipality": municipality}
    found: Idea | Poll | Project | None
    if kind == IDEA:
        found = (
            Idea.objects.filter(
                pk=idea_id,
                hidden_at__isnull=True,
                withdrawn_at__isnull=True,
                project__is_published=True,
                **town,
            )
            .select_related("project")
            .first()
        )
    elif kind == POLL:
        found = (
            Poll.objects.filter(pk=poll_id, project__is_published=True, **town)
            .select_related("project")
            .first()
        )
    else:
        found = Project.objects.filter(slug=project_slug, is_published=True, **town).first()
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
@login_required
def record_view(
    request: HttpRequest,
    municipality_slug: str,
    *,
    kind: str,
    idea_id: int | None = None,
    poll_id: int | None = None,
    project_slug: str | None = None,
) -> HttpResponse:
    """Record the council's decision on an agenda item: the administration, or the council's
    clerk where the town allows it. Everyone involved hears what became of it."""
    municipality = _agenda_municipality(request, municipality_slug)
    if not rules.test_rule("decisions.can_record_council", request.user, municipality):
        raise PermissionDenied
    item = _item(municipality, kind, idea_id=idea_id, poll_id=poll_id, project_slug=project_slug)
    project = item if isinstance(item, Project) else item.project
    if not rules.test_rule("decisions.can_record_council", request.user, project):
        raise PermissionDenied
    form = CouncilDecisionForm(
        request.POST or None,
        request.FILES or None,
        municipality=municipality,
        user=request.user,
        project=project,
        initial={"title": item.title, "decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision_record(
                actor=request.user,
                municipality=municipality,
                project=project,
                title=data["title"],
                body=Body.COUNCIL,
                body_name=data["body_name"],
                decided_on=data["decided_on"],
                outcome=data["outcome"],
                reasons=data["reasons"],
                ideas=[item] if isinstance(item, Idea) else [],
                polls=[item] if isinstance(item, Poll) else [],
                minutes=data["minutes"],
                minutes_url=data["minutes_url"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "Der Beschluss des Rats ist veröffentlicht; die Beteiligten werden "
                    "benachrichtigt."
                ),
            )
            return redirect(reverse("council:agenda", args=[municipality.slug]))
    return render(
        request,
        "council/record.html",
        {
            "municipality": municipality,
            "form": form,
            "item": item,
            "kind": kind,
            "project": project,
        },
        status=400 if form.errors else 200,
    )

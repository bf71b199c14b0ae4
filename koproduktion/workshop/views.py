"""The workshop screen: a tablet at an on-site event, one task per page, three tabs (idea,
opinion map, helping), a neutral thank-you page after every entry so that the next person at
the tablet never sees what the previous one gave."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from koproduktion.core.forms import submitted
from koproduktion.core.ratelimit import client_ip
from koproduktion.core.selectors import municipality_get
from koproduktion.events.models import Event
from koproduktion.events.selectors import event_collected, event_get
from koproduktion.opinions.models import Participant, Statement, StatementVote
from koproduktion.opinions.selectors import next_statement

from . import services
from .forms import IdeaForm, SignupForm
from .selectors import open_places

# What the thank-you page was reached from (``?nach=``); anything else thanks in general.
THANKS = ("idee", "meinung", "zusage")


def _screen(request: HttpRequest, municipality_slug: str, event_id: int) -> Event:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    event = event_get(municipality=municipality, user=request.user, pk=event_id)
    event.municipality = municipality
    if not rules.test_rule("workshop.can_open", request.user, event):
        raise PermissionDenied
    return event


def _page(
    request: HttpRequest, event: Event, template: str, tab: str, status: int = 200, **context
) -> HttpResponse:
    """A page of the screen; outside its hours the page that says why, whatever was asked."""
    reason = services.closed_reason(event=event)
    if reason:
        template, status, context = "workshop/closed.html", 403, {"reason": reason}
    return render(
        request,
        template,
        {"municipality": event.municipality, "event": event, "tab": tab, **context},
        status=status,
    )


def _url(event: Event, name: str) -> str:
    return reverse(f"workshop:{name}", args=[event.municipality.slug, event.pk])


def _thanks(event: Event, after: str) -> HttpResponse:
    return redirect(f"{_url(event, 'thanks')}?nach={after}")


@require_safe
@login_required
def start_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _screen(request, municipality_slug, event_id)
    return _page(
        request, event, "workshop/start.html", "start", collected=event_collected(event=event)
    )


@require_safe
@login_required
def thanks_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _screen(request, municipality_slug, event_id)
    after = request.GET.get("nach", "")
    return _page(request, event, "workshop/thanks.html", "", after=after if after in THANKS else "")


@require_http_methods(["GET", "POST"])
@login_required
def idea_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _screen(request, municipality_slug, event_id)
    form = IdeaForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.workshop_idea_record,
            actor=request.user,
            event=event,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            initials=form.cleaned_data["contributor_name"],
            ip=client_ip(request),
        )
    ):
        return _thanks(event, "idee")
    return _page(
        request, event, "workshop/idea.html", "idea", 400 if form.errors else 200, form=form
    )


def _session_key(event: Event) -> str:
    return f"workshop-{event.pk}-person"


def _person(request: HttpRequest, event: Event) -> Participant | None:
    """The person now at this tablet, if "Neue Person" was pressed for them."""
    pk = request.session.get(_session_key(event))
    participant = Participant.objects.filter(pk=pk).first() if pk else None
    if participant and services.is_tablet_participant(event=event, participant=participant):
        return participant
    return None


@require_http_methods(["GET", "POST"])
@login_required
def opinion_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    """One statement at a time for the person at the tablet; POST is their answer or "done"."""
    event = _screen(request, municipality_slug, event_id)
    refusal = services.map_refusal(event=event)
    person = None if refusal else _person(request, event)
    error = ""
    if request.method == "POST" and person is not None:
        if request.POST.get("fertig"):
            request.session.pop(_session_key(event), None)
            return _thanks(event, "meinung")
        chosen = request.POST.get("these", "")
        statement = (
            Statement.objects.filter(pk=int(chosen)).first()
            if chosen.isdigit() and len(chosen) < 12
            else None
        )
        value = request.POST.get("stimme", "")
        try:
            if statement is None or value not in {"1", "-1", "0"}:
                raise PermissionDenied(_("Bitte wählen Sie eine der drei Antworten."))
            services.workshop_vote_cast(
                actor=request.user,
                event=event,
                participant=person,
                statement=statement,
                value=int(value),
            )
        except PermissionDenied as refused:
            error = str(refused)
        else:
            return redirect(_url(event, "opinion"))
    statement, progress = (None, None)
    if person is not None:
        statement, progress = next_statement(project=event.project, participant=person)
        if statement is None and not error:
            request.session.pop(_session_key(event), None)
            return _thanks(event, "meinung")
    return _page(
        request,
        event,
        "workshop/opinion.html",
        "opinion",
        400 if error else 200,
        refusal=refusal,
        person=person,
        statement=statement,
        progress=progress,
        error=error,
        values=StatementVote.Value,
    )


@require_POST
@login_required
def person_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    """ "Neue Person": a fresh anonymous participant for whoever now stands at the tablet."""
    event = _screen(request, municipality_slug, event_id)
    try:
        person = services.workshop_person_start(actor=request.user, event=event)
    except PermissionDenied as refused:
        return _page(request, event, "workshop/opinion.html", "opinion", 403, refusal=str(refused))
    request.session[_session_key(event)] = person.pk
    return redirect(_url(event, "opinion"))


@require_http_methods(["GET", "POST"])
@login_required
def signup_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _screen(request, municipality_slug, event_id)
    form = SignupForm(request.POST or None, places=open_places(event=event))
    if request.method == "POST" and form.is_valid():
        place = form.chosen()
        if submitted(
            form,
            services.workshop_signup,
            actor=request.user,
            event=event,
            task=place.task,
            shift=place.shift,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
        ):
            return _thanks(event, "zusage")
    return _page(
        request,
        event,
        "workshop/signup.html",
        "signup",
        400 if form.errors else 200,
        form=form,
    )

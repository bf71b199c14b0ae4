"""The town's events: list, page with registration, iCal, poster; staff set up, cancel, see who
comes, attach minutes and record ideas said on site."""

from __future__ import annotations

import rules
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from koproduktion.core.csv_export import csv_response
from koproduktion.core.forms import form_errors_from, refusal_text, submitted
from koproduktion.core.ical import calendar
from koproduktion.core.links import absolute_url, site_url
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.selectors import municipality_get, represented_organisations
from koproduktion.ideas.models import Source
from koproduktion.ideas.services import idea_create, idea_url
from koproduktion.projects.selectors import project_get

from . import services
from .forms import (
    CancelForm,
    EventFilterForm,
    EventForm,
    MinutesForm,
    OnSiteIdeaForm,
    RegistrationForm,
)
from .ical import event_entry
from .models import Event, EventKind, RegistrationStatus
from .selectors import (
    EventFilters,
    event_collected,
    event_get,
    event_ideas,
    event_list,
    linkable_ideas,
    project_events,
    registration_list,
    registration_of,
    upcoming_and_past,
    waiting_position,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def event_list_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Events still to come first, past ones below; filters by neighbourhood, project, kind."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = EventFilterForm(request.GET or None, municipality=municipality, user=request.user)
    data = form.valid_data()
    kind = data.get("art")
    events = event_list(
        municipality=municipality,
        user=request.user,
        filters=EventFilters(
            neighbourhood=data.get("quartier"),
            project=data.get("vorhaben"),
            kind=EventKind(kind) if kind else None,
        ),
    )
    upcoming, past = upcoming_and_past(events)
    return render(
        request,
        "events/event_list.html",
        {
            "municipality": municipality,
            "filter_form": form,
            "upcoming": upcoming,
            "past": past[:50],
            "can_create": rules.test_rule("events.can_create", request.user, municipality),
        },
    )


def _event(request: HttpRequest, municipality_slug: str, event_id: int) -> Event:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    event = event_get(municipality=municipality, user=request.user, pk=event_id)
    event.municipality = municipality
    return event


def _managed(request: HttpRequest, municipality_slug: str, event_id: int) -> Event:
    event = _event(request, municipality_slug, event_id)
    _require(rules.test_rule("events.can_manage", request.user, event))
    return event


def _map_features(event: Event) -> dict:
    if not event.has_point:
        return {"type": "FeatureCollection", "features": []}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
                "properties": {"title": event.title, "url": services.event_url(event)},
            }
        ],
    }


@require_http_methods(["GET", "POST"])
def event_detail_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    """The event; POST registers the person (or puts them on the waiting list)."""
    event = _event(request, municipality_slug, event_id)
    user = request.user
    form = RegistrationForm(
        request.POST or None,
        organisations=represented_organisations(user=user, municipality_id=event.municipality_id),
    )
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                registration = services.event_register(
                    actor=user,
                    event=event,
                    people=form.cleaned_data["people"],
                    note=form.cleaned_data["note"],
                    ip=client_ip(request),
                    organisation=form.cleaned_data.get("organisation"),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            except (PermissionDenied, RateLimited) as refused:
                form.add_error(None, refusal_text(refused))
            else:
                if registration.status == RegistrationStatus.WAITING:
                    messages.success(
                        request,
                        _(
                            "Die Veranstaltung ist voll. Sie stehen auf der Warteliste (Platz "
                            "%(position)d) und bekommen Bescheid, sobald ein Platz frei wird."
                        )
                        % {"position": waiting_position(registration)},
                    )
                else:
                    messages.success(request, _("Sie sind angemeldet. Wir freuen uns auf Sie!"))
                return redirect(services.event_url(event))
    mine = registration_of(event=event, user=user)
    can_manage = rules.test_rule("events.can_manage", user, event)
    return render(
        request,
        "events/event_detail.html",
        {
            "municipality": event.municipality,
            "event": event,
            "form": form,
            "mine": mine,
            "position": waiting_position(mine) if mine else None,
            "can_register": rules.test_rule("events.can_register", user, event),
            "can_manage": can_manage,
            "can_record": rules.test_rule("events.can_record_ideas", user, event),
            "ideas": event_ideas(event=event),
            "collected": event_collected(event=event),
            "map_features": _map_features(event),
            "map_tile_url": settings.MAP_TILE_URL,
            "page_url": absolute_url(services.event_url(event), request),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def deregister_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _event(request, municipality_slug, event_id)
    registration = registration_of(event=event, user=request.user)
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except (PermissionDenied, ValidationError) as error:
        messages.error(
            request,
            " ".join(error.messages) if isinstance(error, ValidationError) else refusal_text(error),
        )
    else:
        messages.success(request, _("Sie sind abgemeldet. Danke, dass Sie Bescheid geben."))
    return redirect(services.event_url(event))


@require_safe
def ical_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _event(request, municipality_slug, event_id)
    body = calendar(event.title, [event_entry(event, base_url=site_url(request))])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="veranstaltung-{event.pk}.ics"'
    return response


def qr_svg(url: str, label: str) -> SafeString:
    """The page's address as a QR code, inline SVG drawn on the server (as two-factor set-up)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, svgclass="qr-code", lineclass=None)
    # Our own address, encoded as modules; the label is escaped.
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    )


@require_safe
def poster_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    """An A4 notice for the board: title, date and place, a short text, a QR code to the page."""
    event = _event(request, municipality_slug, event_id)
    url = absolute_url(services.event_url(event), request)
    return render(
        request,
        "events/poster.html",
        {
            "municipality": event.municipality,
            "event": event,
            "url": url,
            "qr": qr_svg(url, _("QR-Code zur Seite der Veranstaltung")),
        },
    )


@require_safe
def project_poster_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(
        municipality=municipality, slug=project_slug, user=request.user, related=False
    )
    url = absolute_url(reverse("projects:detail", args=[municipality.slug, project.slug]), request)

    return render(
        request,
        "events/poster.html",
        {
            "municipality": municipality,
            "project": project,
            "events": project_events(project=project)[:3],
            "url": url,
            "qr": qr_svg(url, _("QR-Code zur Seite des Vorhabens")),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_form_view(
    request: HttpRequest, municipality_slug: str, event_id: int | None = None
) -> HttpResponse:
    """Set up an event or, with ``event_id``, change one."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _require(rules.test_rule("events.can_create", request.user, municipality))
    event = None
    if event_id is not None:
        event = _managed(request, municipality_slug, event_id)
    form = EventForm(
        request.POST or None, instance=event, municipality=municipality, user=request.user
    )
    wanted = request.GET.get("vorhaben", "")[:100]
    if event is None and wanted and not form.is_bound:
        form.initial["project"] = form.fields["project"].queryset.filter(slug=wanted).first()
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                saved = services.event_create(
                    actor=request.user, municipality=municipality, **form.values()
                )
            else:
                saved = services.event_update(actor=request.user, event=event, **form.values())
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as refused:
            form.add_error(None, refusal_text(refused))
        else:
            saved.municipality = municipality
            messages.success(request, _("Die Veranstaltung ist gespeichert."))
            return redirect(services.event_url(saved))
    return render(
        request,
        "events/event_form.html",
        {
            "municipality": municipality,
            "event": event,
            "form": form,
            "map_tile_url": settings.MAP_TILE_URL,
            "area": municipality.area,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def cancel_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _managed(request, municipality_slug, event_id)
    form = CancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.event_cancel,
            actor=request.user,
            event=event,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("Die Veranstaltung ist abgesagt; alle Angemeldeten wissen es."))
        return redirect(services.event_url(event))
    return render(
        request,
        "events/event_cancel.html",
        {"municipality": event.municipality, "event": event, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def registrations_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _managed(request, municipality_slug, event_id)
    registrations = list(registration_list(event=event))
    return render(
        request,
        "events/registrations.html",
        {
            "municipality": event.municipality,
            "event": event,
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        },
    )


@login_required
def registrations_csv_view(
    request: HttpRequest, municipality_slug: str, event_id: int
) -> HttpResponse:
    """Who comes, for the sign-in sheet: public names only, no addresses."""
    event = _managed(request, municipality_slug, event_id)
    rows = [[_("Name"), _("Personen"), _("Status"), _("Hinweis"), _("angemeldet am")]]
    rows += [
        [
            str(registration.user),
            registration.people,
            registration.get_status_display(),
            registration.note,
            f"{timezone.localtime(registration.created_at):%Y-%m-%d %H:%M}",
        ]
        for registration in registration_list(event=event)
    ]
    return csv_response(rows, filename=f"anmeldungen-veranstaltung-{event.pk}.csv")


@require_http_methods(["GET", "POST"])
@login_required
def minutes_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    event = _managed(request, municipality_slug, event_id)
    form = MinutesForm(
        request.POST or None,
        request.FILES or None,
        ideas=linkable_ideas(event=event),
        initial={"minutes": event.minutes, "ideas": list(event.ideas.all())},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.event_minutes_set,
            actor=request.user,
            event=event,
            minutes=form.cleaned_data["minutes"],
            minutes_file=form.cleaned_data["minutes_file"],
            remove_file=form.cleaned_data["remove_file"],
            ideas=form.cleaned_data["ideas"],
        )
    ):
        messages.success(request, _("Das Protokoll ist gespeichert."))
        return redirect(services.event_url(event) + "#protokoll")
    return render(
        request,
        "events/minutes_form.html",
        {
            "municipality": event.municipality,
            "event": event,
            "form": form,
            "collected": event_collected(event=event),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def record_idea_view(request: HttpRequest, municipality_slug: str, event_id: int) -> HttpResponse:
    """Staff type in an idea said at the event, for someone without an account."""
    event = _managed(request, municipality_slug, event_id)
    _require(rules.test_rule("events.can_record_ideas", request.user, event))
    form = OnSiteIdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = idea_create(
                actor=request.user,
                project=event.project,
                title=data["title"],
                text=data["text"],
                source=Source.WORKSHOP,
                contributor_name=data["contributor_name"],
                source_event=event,
                neighbourhood=event.neighbourhood,
                ip=client_ip(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(
                request,
                _("Die Idee „%(title)s“ ist aufgenommen. Noch eine?") % {"title": idea.title},
            )
            if request.POST.get("then") == "idea":
                return redirect(idea_url(idea))
            return redirect(request.path)
    return render(
        request,
        "events/record_idea.html",
        {
            "municipality": event.municipality,
            "event": event,
            "form": form,
            "recorded": event_ideas(event=event).filter(source_event=event),
        },
        status=400 if form.errors else 200,
    )

"""Meine Zusagen: a person's tasks, shifts, sponsorships and hours, and their private iCal feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.links import site_url
from koproduktion.core.redirects import next_url
from koproduktion.events.ical import registration_entries
from koproduktion.events.selectors import registrations_of
from koproduktion.sponsorships.ical import sponsorship_entries
from koproduktion.sponsorships.selectors import sponsorships_of

from .. import services
from ..forms import DoneForm
from ..ical import calendar, commitment_events
from ..models import CalendarToken, Commitment
from ..selectors import commitments_of, hours_of, my_commitment_get
from .common import show_refusal


@require_http_methods(["GET", "POST"])
@login_required
def my_commitments_view(request: HttpRequest) -> HttpResponse:
    """GET shows the page; POST makes a new feed address (shown once) or ends the feed."""
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(user=request.user)
            messages.success(
                request, _("Das Kalender-Abo ist beendet; die alte Adresse gilt nicht mehr.")
            )
            return redirect("commitments:mine")
        token = services.calendar_token_create(user=request.user)
        feed_url = request.build_absolute_uri(reverse("commitments:feed", args=[token]))
    now, today = timezone.now(), timezone.localdate()
    upcoming, past = [], []
    for commitment in commitments_of(user=request.user):
        start = commitment.shift.starts_at if commitment.shift_id else None
        is_past = start < now if start else (commitment.task.date or today) < today
        (past if is_past else upcoming).append(commitment)
    upcoming.reverse()  # soonest first
    return render(
        request,
        "implementation/mine.html",
        {
            "upcoming": upcoming,
            "past": past,
            "hours": hours_of(user=request.user),
            "sponsorships": sponsorships_of(user=request.user),
            "registrations": registrations_of(user=request.user).filter(event__ends_at__gt=now),
            "feed_url": feed_url,
            "has_feed": feed_url is not None
            or CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).exists(),
            "done_form": DoneForm(),
        },
    )


def _own(request: HttpRequest, pk: int) -> Commitment:
    return my_commitment_get(user=request.user, pk=pk)


@require_POST
@login_required
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.commitment_cancel(actor=request.user, commitment=_own(request, pk))
        messages.success(request, _("Sie haben abgesagt. Danke, dass Sie Bescheid geben."))
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    return redirect(next_url(request, default="commitments:mine"))


@require_POST
@login_required
def done_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie zwischen 0,5 und 24 Stunden an."))
        return redirect("commitments:mine")
    try:
        services.commitment_report_done(
            actor=request.user, commitment=_own(request, pk), hours=form.cleaned_data["hours"]
        )
        messages.success(request, _("Danke für Ihre Hilfe!"))
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    return redirect("commitments:mine")


def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: anyone with the address sees the person's commitments, nobody else."""
    user = services.calendar_token_user(token=token)
    if user is None:
        raise Http404
    base_url = site_url(request)
    body = calendar(
        _("Meine Zusagen"),
        commitment_events(commitments_of(user=user), base_url=base_url)
        + registration_entries(registrations_of(user=user), base_url=base_url)
        + sponsorship_entries(sponsorships_of(user=user), base_url=base_url),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response

"""Pages of local actors: the directory, a profile, proposing an organisation, asking to
represent one, keeping its profile; and the town admins' queue of requests. Thin: every write
goes through ``services``, whose refusals land next to the fields with what was typed."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koproduktion.core.forms import refusal_text, submitted
from koproduktion.core.models import Membership, Municipality, Organisation
from koproduktion.core.roles import Role
from koproduktion.core.selectors import municipality_get

from . import services
from .forms import DirectoryFilterForm, JoinForm, ProfileForm, ProposalForm, ReasonForm
from .models import RepresentationRequest, RequestStatus
from .selectors import (
    directory,
    organisation_activity,
    organisation_get,
    pending_requests,
    representatives_of,
    requests_of,
    similar_names,
)

PER_PAGE = 30


def _render(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, f"actors/{template}", context, status=status)


@require_GET
def directory_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's confirmed organisations; a filter value that does not exist says so at the
    filter (400) and filters nothing."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = DirectoryFilterForm(request.GET or None, municipality=municipality)
    data = form.valid_data()
    found = directory(
        municipality=municipality,
        kind=data.get("kind") or None,
        neighbourhood=data.get("neighbourhood"),
        topic=data.get("topic"),
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("seite"))
    kept = request.GET.copy()
    kept.pop("seite", None)
    return _render(
        request,
        "directory.html",
        status=400 if form.errors else 200,
        municipality=municipality,
        filter_form=form,
        page=page,
        is_filtered=any(request.GET.get(name) for name in form.fields),
        filter_query=kept.urlencode(),
        my_requests=requests_of(user=request.user, municipality=municipality)[:10],
        can_administer=rules.test_rule("townadmin.can_administer", request.user, municipality),
    )


def _organisation(
    request: HttpRequest, municipality_slug: str, organisation_slug: str
) -> tuple[Municipality, Organisation]:
    """The town and its organisation named in the path, if the person may see them (404)."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    organisation = organisation_get(
        municipality=municipality, slug=organisation_slug, user=request.user
    )
    return municipality, organisation


@require_GET
def profile_view(
    request: HttpRequest, municipality_slug: str, organisation_slug: str
) -> HttpResponse:
    municipality, organisation = _organisation(request, municipality_slug, organisation_slug)
    user = request.user
    can_edit = rules.test_rule("actors.can_edit_profile", user, organisation)
    is_representative = rules.test_rule("actors.can_act_for", user, organisation)
    can_administer = rules.test_rule("townadmin.can_administer", user, municipality)
    return _render(
        request,
        "profile.html",
        municipality=municipality,
        organisation=organisation,
        activity=organisation_activity(organisation=organisation, user=user),
        can_edit=can_edit,
        is_representative=is_representative,
        can_administer=can_administer,
        representatives=(
            list(representatives_of(organisation=organisation))
            if is_representative or can_administer
            else []
        ),
        my_membership=(
            Membership.objects.filter(
                user=user, organisation=organisation, role=Role.ORGANISATION
            ).first()
            if is_representative
            else None
        ),
        open_request=(
            requests_of(user=user, municipality=municipality)
            .filter(organisation=organisation, status=RequestStatus.PENDING)
            .first()
        ),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def propose_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = ProposalForm(request.POST or None, municipality=municipality)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.organisation_propose,
            actor=request.user,
            municipality=municipality,
            **form.cleaned_data,
        )
    ):
        messages.success(
            request,
            _(
                "Danke! Die Kommune prüft Ihren Vorschlag. Sobald sie ihn bestätigt, ist das "
                "Profil öffentlich und Sie vertreten die Organisation."
            ),
        )
        return redirect("actors:directory", municipality.slug)
    return _render(
        request,
        "propose.html",
        status=400 if form.errors else 200,
        municipality=municipality,
        form=form,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def join_view(request: HttpRequest, municipality_slug: str, organisation_slug: str) -> HttpResponse:
    municipality, organisation = _organisation(request, municipality_slug, organisation_slug)
    form = JoinForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.representation_request_create,
            actor=request.user,
            organisation=organisation,
            message=form.cleaned_data["message"],
        )
    ):
        messages.success(request, _("Ihre Anfrage liegt der Kommune vor. Sie bekommen Bescheid."))
        return redirect(services.organisation_url(organisation))
    return _render(
        request,
        "join.html",
        status=400 if form.errors else 200,
        municipality=municipality,
        organisation=organisation,
        form=form,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, municipality_slug: str, organisation_slug: str) -> HttpResponse:
    municipality, organisation = _organisation(request, municipality_slug, organisation_slug)
    if not rules.test_rule("actors.can_edit_profile", request.user, organisation):
        raise PermissionDenied
    initial = model_to_dict(organisation, fields=[*ProfileForm.names, "neighbourhoods", "topics"])
    form = ProfileForm(request.POST or None, initial=initial, municipality=municipality)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.organisation_profile_update,
            actor=request.user,
            organisation=organisation,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Das Profil ist gespeichert."))
        return redirect(services.organisation_url(organisation))
    return _render(
        request,
        "edit.html",
        status=400 if form.errors else 200,
        municipality=municipality,
        organisation=organisation,
        form=form,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def representation_end_view(
    request: HttpRequest, municipality_slug: str, organisation_slug: str, representative_id: int
) -> HttpResponse:
    """Ending a representation: one's own, or (the town's admins) someone's, with a reason."""
    municipality, organisation = _organisation(request, municipality_slug, organisation_slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=representative_id,
        organisation=organisation,
        role=Role.ORGANISATION,
    )
    own = membership.user_id == request.user.pk
    if not own and not rules.test_rule("townadmin.can_administer", request.user, municipality):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.representation_end,
            actor=request.user,
            membership=membership,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(
            request,
            _("Sie vertreten „%(name)s“ nicht mehr.") % {"name": organisation}
            if own
            else _("%(person)s vertritt „%(name)s“ nicht mehr.")
            % {"person": membership.user, "name": organisation},
        )
        return redirect(services.organisation_url(organisation))
    return _render(
        request,
        "end.html",
        status=400 if form.errors else 200,
        municipality=municipality,
        organisation=organisation,
        membership=membership,
        own=own,
        form=form,
    )


@login_required
@require_POST
def withdraw_view(request: HttpRequest, municipality_slug: str, request_id: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    representation_request = get_object_or_404(
        RepresentationRequest, pk=request_id, municipality=municipality, user=request.user
    )
    try:
        services.representation_request_withdraw(
            actor=request.user, representation_request=representation_request
        )
    except (PermissionDenied, ValidationError) as refused:
        messages.error(
            request,
            " ".join(refused.messages)
            if isinstance(refused, ValidationError)
            else refusal_text(refused),
        )
    else:
        messages.success(request, _("Ihre Anfrage ist zurückgezogen."))
    return redirect("actors:directory", municipality.slug)


# --- The town's admins: the queue of requests ------------------------------------------------


def _admin_town(request: HttpRequest, slug: str) -> Municipality:
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule("townadmin.can_administer", request.user, municipality):
        raise PermissionDenied
    return municipality


@never_cache
@login_required
@require_GET
def queue_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _admin_town(request, municipality_slug)
    return _render(
        request,
        "queue.html",
        municipality=municipality,
        requests=list(pending_requests(municipality=municipality)),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def decide_view(request: HttpRequest, municipality_slug: str, request_id: int) -> HttpResponse:
    """One request: who asks, for what, names that look alike; confirm, or decline with a
    reason."""
    municipality = _admin_town(request, municipality_slug)
    representation_request = get_object_or_404(
        RepresentationRequest.objects.select_related("user", "organisation"),
        pk=request_id,
        municipality=municipality,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = request.POST.get("action") == "accept"
        service = (
            services.representation_request_accept
            if accept
            else services.representation_request_decline
        )
        arguments: dict[str, Any] = {
            "actor": request.user,
            "representation_request": representation_request,
        }
        if not accept:
            arguments["reason"] = form.cleaned_data["reason"]
        if submitted(form, service, **arguments):
            messages.success(
                request,
                _("Bestätigt: %(name)s.") % {"name": representation_request.name}
                if accept
                else _("Abgelehnt: %(name)s.") % {"name": representation_request.name},
            )
            return redirect("actors_queue:list", municipality.slug)
    if not representation_request.is_pending and request.method == "GET":
        raise Http404
    return _render(
        request,
        "decide.html",
        status=400 if form.errors else 200,
        municipality=municipality,
        item=representation_request,
        similar=similar_names(request=representation_request),
        form=form,
    )

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from
from koproduktion.core.selectors import municipality_get
from koproduktion.implementation.views.common import require_page, show_refusal

from . import services
from .forms import (
    ApplyForm,
    ApproveForm,
    HandBackForm,
    ObjectFilterForm,
    ObjectForm,
    RejectForm,
    RetireForm,
)
from .geo import objects_geojson
from .models import ObjectKind, Sponsorship, SponsorshipStatus
from .selectors import (
    ObjectFilters,
    agreements,
    applications,
    object_get,
    object_list,
    open_sponsorships,
    sponsorship_get,
)


def object_list_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The public register: a map and the same objects as a list (the list works without JS)."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = ObjectFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    available = {"ja": True, "nein": False}.get(data.get("frei") or "")
    objects = list(
        object_list(
            municipality=municipality,
            filters=ObjectFilters(
                kind=ObjectKind(data["art"]) if data.get("art") else None, available=available
            ),
        )
    )
    return render(
        request,
        "sponsorships/object_list.html",
        {
            "municipality": municipality,
            "objects": objects,
            "filter_form": form,
            "map_features": objects_geojson(objects, municipality=municipality),
            "map_tile_url": settings.MAP_TILE_URL,
            "area": municipality.area,
            "can_manage": rules.test_rule("sponsorships.can_manage", request.user, municipality),
        },
    )


@require_http_methods(["GET", "POST"])
def object_detail_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    obj = object_get(municipality=municipality, pk=pk)
    user = request.user
    form = ApplyForm(request.POST or None, user=user, municipality=municipality)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                services.sponsorship_apply(
                    actor=user,
                    obj=obj,
                    motivation=form.cleaned_data["motivation"],
                    wished_start=form.cleaned_data["wished_start"],
                    organisation=form.cleaned_data.get("organisation"),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, _("Danke! Ihr Antrag ist eingegangen; die Verwaltung meldet sich.")
                )
                return redirect(services.object_url(obj))
    mine = (
        list(
            Sponsorship.objects.filter(object=obj, sponsor=user).exclude(
                status__in=[
                    SponsorshipStatus.WITHDRAWN,
                    SponsorshipStatus.REJECTED,
                    SponsorshipStatus.ENDED,
                ]
            )
        )
        if user.is_authenticated
        else []
    )
    return render(
        request,
        "sponsorships/object_detail.html",
        {
            "municipality": municipality,
            "object": obj,
            "running": obj.running[0] if obj.running else None,
            "mine": mine,
            "form": form,
            "can_apply": rules.test_rule("sponsorships.can_apply", user, obj),
            "can_manage": rules.test_rule("sponsorships.can_manage", user, municipality),
            "hand_back_form": HandBackForm(),
            "map_features": objects_geojson([obj], municipality=municipality),
            "map_tile_url": settings.MAP_TILE_URL,
            "area": municipality.area,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def object_form_view(
    request: HttpRequest, municipality_slug: str, pk: int | None = None
) -> HttpResponse:
    """Add an object to the register or, with ``pk``, change one; staff only."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    require_page(rules.test_rule("sponsorships.can_manage", request.user, municipality))
    obj = None if pk is None else object_get(municipality=municipality, pk=pk)
    form = ObjectForm(request.POST or None, instance=obj, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            if obj is None:
                saved = services.object_create(
                    actor=request.user, municipality=municipality, **form.cleaned_data
                )
            else:
                saved = services.object_update(actor=request.user, obj=obj, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Das Objekt ist im Register.")
                if obj is None
                else _("Die Änderungen sind gespeichert."),
            )
            return redirect(services.object_url(saved))
    return render(
        request,
        "sponsorships/object_form.html",
        {
            "municipality": municipality,
            "object": obj,
            "form": form,
            "map_tile_url": settings.MAP_TILE_URL,
            "area": municipality.area,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def object_retire_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    """Ask for the reason first: taking an object off the register ends its sponsorships."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    require_page(rules.test_rule("sponsorships.can_manage", request.user, municipality))
    obj = object_get(municipality=municipality, pk=pk)
    if not obj.is_active:
        messages.info(request, _("Dieses Objekt ist nicht mehr im Register."))
        return redirect(services.object_url(obj))
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.object_retire(actor=request.user, obj=obj, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "Das Objekt ist aus dem Register genommen; betroffene Pat*innen und "
                    "Antragstellende sind benachrichtigt."
                ),
            )
            return redirect(services.object_url(obj))
    return render(
        request,
        "sponsorships/object_retire.html",
        {
            "municipality": municipality,
            "object": obj,
            "form": form,
            "affected": open_sponsorships(obj=obj),
        },
        status=400 if form.errors else 200,
    )


@login_required
def applications_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    require_page(rules.test_rule("sponsorships.can_manage", request.user, municipality))
    return render(
        request,
        "sponsorships/applications.html",
        {
            "municipality": municipality,
            "applications": applications(municipality=municipality),
            "agreements": agreements(municipality=municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def decide_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    require_page(rules.test_rule("sponsorships.can_manage", request.user, municipality))
    sponsorship = sponsorship_get(municipality=municipality, pk=pk)
    sponsorship.object.municipality = municipality
    action = request.POST.get("action")
    approve = ApproveForm(
        request.POST if action == "approve" else None,
        initial={"duties": sponsorship.object.duties, "term_start": sponsorship.wished_start},
    )
    reject = RejectForm(request.POST if action == "reject" else None)
    form = approve if action == "approve" else reject
    if request.method == "POST" and form.is_valid():
        try:
            if action == "approve":
                services.sponsorship_approve(
                    actor=request.user, sponsorship=sponsorship, **approve.cleaned_data
                )
                messages.success(request, _("Die Patenschaft ist vereinbart."))
            else:
                services.sponsorship_reject(
                    actor=request.user,
                    sponsorship=sponsorship,
                    reason=reject.cleaned_data["reason"],
                )
                messages.success(
                    request, _("Der Antrag ist abgelehnt; die Person erfährt den Grund.")
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("sponsorships:applications", municipality.slug)
    return render(
        request,
        "sponsorships/decide.html",
        {
            "municipality": municipality,
            "sponsorship": sponsorship,
            "approve_form": approve,
            "reject_form": reject,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def hand_back_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    sponsorship = sponsorship_get(municipality=municipality, pk=pk)
    form = HandBackForm(request.POST)
    form.is_valid()
    try:
        services.sponsorship_hand_back(
            actor=request.user, sponsorship=sponsorship, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(request, _("Die Patenschaft ist zurückgegeben. Danke für Ihre Pflege!"))
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    return redirect("sponsorships:detail", municipality.slug, sponsorship.object_id)


@require_POST
@login_required
def withdraw_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    sponsorship = sponsorship_get(municipality=municipality, pk=pk)
    try:
        services.sponsorship_withdraw(actor=request.user, sponsorship=sponsorship)
        messages.success(request, _("Ihr Antrag ist zurückgezogen."))
    except PermissionDenied as error:
        show_refusal(request, error)
    return redirect("sponsorships:detail", municipality.slug, sponsorship.object_id)

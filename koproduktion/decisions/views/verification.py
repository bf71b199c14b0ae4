"""Verification: residents redeem a postal code; staff verify in person and print codes."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koproduktion.core.forms import form_errors_from
from koproduktion.core.ratelimit import LockedOut, client_ip
from koproduktion.core.selectors import member_by_email, municipality_get

from .. import services
from ..eligibility import verification_of
from ..forms import (
    CodeBatchForm,
    RedeemCodeForm,
    VerifyPersonForm,
)


@require_http_methods(["GET", "POST"])
@login_required
def verification_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Residents verify themselves with the code from their letter."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = RedeemCodeForm(request.POST or None)
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            services.code_redeem(
                user=request.user,
                municipality=municipality,
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except LockedOut as locked:
            form.add_error(None, locked.message)
            retry_after = locked.retry_after
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
    response = render(
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
    if retry_after is not None:
        response.status_code = 429
        response["Retry-After"] = str(retry_after)
    return response


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
        person = member_by_email(municipality=municipality, email=data["email"])
        if person is None:
            person_form.add_error(
                "email", _("In dieser Kommune ist unter dieser Adresse niemand registriert.")
            )
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

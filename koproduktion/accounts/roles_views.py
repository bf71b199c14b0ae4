"""A town's roles page, for its admins (and platform admins): who holds which office, roles given
to accounts and invitations by e-mail, departments changed, roles revoked with a reason, and
whether the town requires two-factor log-in of its staff."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from, refusal_text, submitted
from koproduktion.core.models import Municipality
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.roles import Role
from koproduktion.core.rules import forget_roles
from koproduktion.core.selectors import municipality_get
from koproduktion.core.services import (
    membership_departments_set,
    membership_revoke,
    municipality_two_factor_set,
    roles_grant_by_email,
)

from .models import Invitation
from .roles_forms import DepartmentsForm, RevokeForm, RoleChoiceForm, TwoFactorRequirementForm
from .selectors import office_holder_get, office_holders, open_invitations
from .services import invitation_create, invitation_resend, invitation_withdraw

HOLDERS_PER_PAGE = 50


def _town(request: HttpRequest, slug: str) -> Municipality:
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule("core.can_manage_roles", request.user, municipality):
        raise PermissionDenied
    return municipality


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def role_names(roles: list[str]) -> str:
    return ", ".join(str(Role(role).label) for role in roles)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roles_page(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The list of offices and open invitations; the form grants roles or sends an invitation."""
    municipality = _town(request, municipality_slug)
    form = RoleChoiceForm(request.POST or None, municipality=municipality)
    retry_after = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inviting = request.POST.get("aktion") == "einladen"
        arguments = {
            "actor": request.user,
            "municipality": municipality,
            "email": data["email"],
            "roles": data["roles"],
            "departments": list(data["departments"]),
            "ip": client_ip(request),
        }
        try:
            if inviting:
                invitation_create(
                    **arguments, base_url=_base_url(request), language=request.LANGUAGE_CODE
                )
            else:
                roles_grant_by_email(**arguments)
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as refused:
            form.add_error(None, refusal_text(refused))
        except RateLimited as limited:
            form.add_error(None, limited.message)
            retry_after = limited.retry_after
        else:
            done = (
                _("Die Einladung an %(email)s ist unterwegs.")
                if inviting
                else _("%(email)s hat jetzt die Rolle %(roles)s.")
            )
            messages.success(
                request, done % {"email": data["email"], "roles": role_names(data["roles"])}
            )
            return redirect("roles:list", municipality.slug)
    response = render(
        request,
        "accounts/roles/roles.html",
        {
            "municipality": municipality,
            "form": form,
            "page": Paginator(office_holders(municipality=municipality), HOLDERS_PER_PAGE).get_page(
                request.GET.get("seite")
            ),
            "invitations": open_invitations(municipality=municipality),
            "now": timezone.now(),
            "two_factor_form": TwoFactorRequirementForm(
                initial={"required": municipality.require_two_factor}
            ),
        },
        status=200 if retry_after is None else 429,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def membership_page(
    request: HttpRequest, municipality_slug: str, membership_id: int
) -> HttpResponse:
    """One person's office: their departments (staff), and revoking it with a reason."""
    municipality = _town(request, municipality_slug)
    membership = office_holder_get(municipality=municipality, membership_id=membership_id)
    departments_form = DepartmentsForm(
        initial={"departments": list(membership.departments.all())}, municipality=municipality
    )
    revoke_form = RevokeForm()
    if request.method == "POST" and request.POST.get("aktion") == "entziehen":
        revoke_form = RevokeForm(request.POST)
        if revoke_form.is_valid() and submitted(
            revoke_form,
            membership_revoke,
            actor=request.user,
            membership=membership,
            reason=revoke_form.cleaned_data["reason"],
        ):
            messages.success(
                request,
                _("%(person)s hat die Rolle %(role)s nicht mehr.")
                % {"person": membership.user, "role": membership.get_role_display()},
            )
            forget_roles(request.user)
            if rules.test_rule("core.can_manage_roles", request.user, municipality):
                return redirect("roles:list", municipality.slug)
            return redirect("projects:municipality", municipality.slug)  # an admin stepped down
    elif request.method == "POST" and membership.role == Role.STAFF:
        departments_form = DepartmentsForm(request.POST, municipality=municipality)
        if departments_form.is_valid() and submitted(
            departments_form,
            membership_departments_set,
            actor=request.user,
            membership=membership,
            departments=list(departments_form.cleaned_data["departments"]),
        ):
            messages.success(request, _("Die Fachbereiche sind gespeichert."))
            return redirect("roles:membership", municipality.slug, membership.pk)
    return render(
        request,
        "accounts/roles/membership.html",
        {
            "municipality": municipality,
            "membership": membership,
            "departments_form": departments_form if membership.role == Role.STAFF else None,
            "revoke_form": revoke_form,
        },
    )


@login_required
@require_POST
def invitation_action(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Send an open invitation again (a new link) or withdraw it; back to the roles page."""
    municipality = _town(request, municipality_slug)
    number = request.POST.get("einladung", "")
    invitation = (
        Invitation.objects.filter(municipality=municipality, pk=int(number)).first()
        if number.isdigit() and len(number) < 19
        else None
    )
    action = request.POST.get("aktion")
    if invitation is None or action not in ("erneut", "zurueckziehen"):
        messages.error(request, _("Diese Einladung gibt es hier nicht."))
        return redirect("roles:list", municipality.slug)
    try:
        if action == "erneut":
            invitation_resend(
                actor=request.user,
                invitation=invitation,
                base_url=_base_url(request),
                ip=client_ip(request),
                language=request.LANGUAGE_CODE,
            )
            done = _("Die Einladung an %(email)s ist erneut unterwegs, mit einem neuen Link.")
        else:
            invitation_withdraw(actor=request.user, invitation=invitation)
            done = _("Die Einladung an %(email)s ist zurückgezogen; ihr Link gilt nicht mehr.")
    except (ValidationError, PermissionDenied, RateLimited) as refused:
        messages.error(
            request, " ".join(getattr(refused, "messages", None) or [refusal_text(refused)])
        )
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("roles:list", municipality.slug)


@login_required
@require_POST
def two_factor_requirement(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _town(request, municipality_slug)
    form = TwoFactorRequirementForm(request.POST)
    required = form.is_valid() and form.cleaned_data["required"]
    municipality_two_factor_set(actor=request.user, municipality=municipality, required=required)
    messages.success(
        request,
        _("Die Zwei-Faktor-Anmeldung ist hier jetzt Pflicht.")
        if required
        else _("Die Zwei-Faktor-Anmeldung ist hier jetzt freiwillig."),
    )
    return redirect("roles:list", municipality.slug)

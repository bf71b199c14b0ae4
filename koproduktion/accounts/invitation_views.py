"""The page an invitation's link opens: accept it with the account of the invited address, or
create that account (the link confirms the address)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from koproduktion.core.forms import form_errors_from, refusal_text

from .forms import InvitationRegistrationForm
from .models import Invitation, User
from .roles_views import role_names
from .selectors import invitation_by_token
from .services import invitation_accept, invitation_refusal, invitation_register

# The account was just made here; the other backend (the rules) authenticates nobody.
_BACKEND = "koproduktion.accounts.backends.ModelBackend"


def _refused(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=status)


def _welcome(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(
        request,
        _("Willkommen! Sie haben jetzt in %(town)s die Rolle %(roles)s.")
        % {"town": invitation.municipality.name, "roles": role_names(invitation.roles)},
    )
    return redirect("projects:municipality", invitation.municipality.slug)


def _reason(refused: Exception) -> str:
    return " ".join(getattr(refused, "messages", None) or [refusal_text(refused)])


@never_cache  # the page is reached by a secret link; no cache keeps it
@require_http_methods(["GET", "POST"])
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        return _refused(request, refusal)
    context = {
        "invitation": invitation,
        "roles": role_names(invitation.roles),
        "departments": list(invitation.departments.all()),
    }
    if request.user.is_authenticated:
        return _for_account(request, invitation, token, context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["log_in"] = True
        return render(request, "accounts/invitation.html", context)
    return _for_newcomer(request, invitation, token, context)


def _for_account(
    request: HttpRequest, invitation: Invitation, token: str, context: dict
) -> HttpResponse:
    """Logged in: accepted with the account of the invited address, and only with that."""
    if request.user.email.lower() != invitation.email:
        context["other_account"] = True
        return render(request, "accounts/invitation.html", context, status=403)
    if request.method == "POST":
        try:
            invitation_accept(actor=request.user, token=token)
        except (ValidationError, PermissionDenied) as refused:
            return _refused(request, _reason(refused))
        return _welcome(request, invitation)
    context["accept"] = True
    return render(request, "accounts/invitation.html", context)


def _for_newcomer(
    request: HttpRequest, invitation: Invitation, token: str, context: dict
) -> HttpResponse:
    """No account under the address: one is made here, confirmed by the link, and logged in."""
    form = InvitationRegistrationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = invitation_register(
                token=token,
                public_name=data["public_name"],
                password=data["password1"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            login(request, new, backend=_BACKEND)
            return _welcome(request, invitation)
    context["form"] = form
    return render(request, "accounts/invitation.html", context)

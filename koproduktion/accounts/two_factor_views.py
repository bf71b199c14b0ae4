"""Pages of two-factor log-in: the code after the password, and setting it up under Mein Konto.

Between the password and the code, the session holds only the person's id, the time and the
page to return to; the person is logged in (``django.contrib.auth.login``) after the code alone.
While the app is being set up, the session holds the new secret sealed like the stored one: the
sessions live in the database (or Redis) too.
"""

from __future__ import annotations

import base64
import binascii
import time

import rules
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core import sealing
from koproduktion.core.ratelimit import LockedOut, client_ip
from koproduktion.core.redirects import next_url

from . import totp
from .forms import PasswordConfirmForm, TwoFactorCodeForm, TwoFactorEnableForm
from .models import User
from .two_factor import (
    recovery_codes_left,
    recovery_codes_regenerate,
    secret_open,
    secret_seal,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)

_PENDING = "two_factor_pending"
_SETUP_SECRET = "two_factor_setup_secret"  # noqa: S105 - a session key, not a secret
# How long the code may take after the password.
PENDING_SECONDS = 5 * 60


def two_factor_login_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """The password was right; remember who is logging in until the code comes."""
    request.session[_PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        # A password changed meanwhile ends the half-done log-in.
        "hash": user.get_session_auth_hash(),
        "started": time.time(),
        "next": next_url,
    }


def _pending(request: HttpRequest) -> tuple[User, dict] | None:
    pending = request.session.get(_PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("started", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        return None
    return user, pending


def _limited(response: HttpResponse, locked: LockedOut) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(locked.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    found = _pending(request)
    if found is None:
        request.session.pop(_PENDING, None)
        messages.info(request, _("Bitte melden Sie sich noch einmal mit Ihrem Passwort an."))
        return redirect("accounts:login")
    user, pending = found
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = two_factor_verify(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except LockedOut as locked:
            form.add_error(None, locked.message)
            return _limited(render(request, "accounts/login_code.html", {"form": form}), locked)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[_PENDING]
            auth_login(request, user, backend=pending["backend"])
            if kind == "recovery":
                left = recovery_codes_left(user=user)
                messages.warning(
                    request,
                    ngettext(
                        "Sie haben einen Wiederherstellungscode benutzt. Es bleibt noch "
                        "%(count)d; neue erstellen Sie unter Mein Konto → Zwei-Faktor-Anmeldung.",
                        "Sie haben einen Wiederherstellungscode benutzt. Es bleiben noch "
                        "%(count)d; neue erstellen Sie unter Mein Konto → Zwei-Faktor-Anmeldung.",
                        left,
                    )
                    % {"count": left},
                )
            # Checked by the log-in page (LoginView.get_success_url) before it was stored.
            return redirect(pending["next"])
    return render(request, "accounts/login_code.html", {"form": form})


def _qr_svg(uri: str) -> SafeString:
    """The QR code as inline SVG, drawn on the server; no image leaves for another service."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, svgclass="qr-code", lineclass=None)
    label = escape(_("QR-Code zum Einrichten der Authentifizierungs-App"))
    # Built from our own address (no user input but the person's e-mail, encoded as modules).
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


def _setup_secret(request: HttpRequest, *, new: bool = False) -> str | None:
    """The secret being set up, kept sealed in the session; with ``new``, one is made if none is."""
    user_id = request.user.pk
    kept = request.session.get(_SETUP_SECRET)
    if isinstance(kept, str):
        try:
            sealed = base64.b64decode(kept, validate=True)
            return secret_open(user_id=user_id, sealed=sealed, purpose="setup")[0]
        except (binascii.Error, sealing.Unreadable):
            pass  # from before secrets were sealed, or under a key that is gone: a new one
    if not new:
        return None
    secret = totp.new_secret()
    sealed = secret_seal(user_id=user_id, secret=secret, purpose="setup")
    request.session[_SETUP_SECRET] = base64.b64encode(sealed).decode("ascii")
    return secret


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _page(request: HttpRequest, **context) -> HttpResponse:
    user = request.user
    context.setdefault("enable_form", TwoFactorEnableForm())
    context.setdefault("disable_form", PasswordConfirmForm(prefix="off"))
    context.setdefault("regenerate_form", PasswordConfirmForm(prefix="new"))
    if user.two_factor_enabled:
        context["codes_left"] = recovery_codes_left(user=user)
    else:
        secret = _setup_secret(request, new=True)
        uri = totp.provisioning_uri(secret, account=user.email, issuer=settings.SITE_NAME)
        context.update(qr=_qr_svg(uri), secret=_grouped(secret))
    context["next"] = next_url(request, default="")
    return render(request, "accounts/two_factor.html", context, status=context.pop("status", 200))


def _allowed(request: HttpRequest) -> None:
    if not rules.test_rule("accounts.can_use_two_factor", request.user):
        raise PermissionDenied


@never_cache  # shows the secret, and once the recovery codes
@login_required
@require_http_methods(["GET"])
def two_factor(request: HttpRequest) -> HttpResponse:
    if not rules.test_rule("accounts.can_use_two_factor", request.user):
        # Explained in place of the set-up: only roles that act for others use it.
        return render(request, "accounts/two_factor.html", {"unavailable": True}, status=403)
    return _page(request)


def _refused(request: HttpRequest, form, error: Exception, form_name: str) -> HttpResponse:
    if isinstance(error, LockedOut):
        form.add_error(None, error.message)
        return _limited(_page(request, **{form_name: form}), error)
    form.add_error(None, error)
    return _page(request, **{form_name: form, "status": 400})


@never_cache
@login_required
@require_POST
def two_factor_on(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = TwoFactorEnableForm(request.POST)
    secret = _setup_secret(request)
    if not form.is_valid() or not secret:
        return _page(request, enable_form=form, status=400)
    try:
        codes = two_factor_enable(
            user=request.user,
            secret=secret,
            code=form.cleaned_data["code"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
    except (ValidationError, LockedOut) as error:
        return _refused(request, form, error, "enable_form")
    del request.session[_SETUP_SECRET]
    messages.success(request, _("Die Zwei-Faktor-Anmeldung ist eingeschaltet."))
    return _page(request, recovery_codes=codes)


@never_cache
@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    if not request.user.two_factor_enabled:
        return redirect("accounts:two_factor")  # nothing to turn off; the page says so
    form = PasswordConfirmForm(request.POST, prefix="off")
    if not form.is_valid():
        return _page(request, disable_form=form, status=400)
    try:
        two_factor_disable(
            user=request.user, password=form.cleaned_data["password"], ip=client_ip(request)
        )
    except (ValidationError, LockedOut) as error:
        return _refused(request, form, error, "disable_form")
    messages.success(
        request,
        _(
            "Die Zwei-Faktor-Anmeldung ist ausgeschaltet; Ihre Wiederherstellungscodes gelten nicht mehr."
        ),
    )
    return redirect("accounts:profile")


@never_cache
@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if not request.user.two_factor_enabled:
        return redirect("accounts:two_factor")
    form = PasswordConfirmForm(request.POST, prefix="new")
    if not form.is_valid():
        return _page(request, regenerate_form=form, status=400)
    try:
        codes = recovery_codes_regenerate(
            user=request.user, password=form.cleaned_data["password"], ip=client_ip(request)
        )
    except (ValidationError, LockedOut) as error:
        return _refused(request, form, error, "regenerate_form")
    messages.success(
        request, _("Neue Wiederherstellungscodes erstellt; die alten gelten nicht mehr.")
    )
    return _page(request, recovery_codes=codes)

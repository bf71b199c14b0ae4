from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.ratelimit import RateLimited, check_rate, client_ip
from koproduktion.core.redirects import next_url

from .forms import (
    AccountDeleteForm,
    ApiTokenForm,
    LoginForm,
    PrivacyConsentForm,
    RegistrationForm,
    ResendConfirmationForm,
)
from .models import ApiToken
from .selectors import api_token_list, personal_data_archive
from .services import (
    api_token_create,
    api_token_revoke,
    confirmation_resend,
    mail_request_check,
    password_reset_completed,
    privacy_notice_accept,
    privacy_notice_outdated,
    user_confirm_email,
    user_erase,
    user_register,
)
from .two_factor_views import two_factor_login_start


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _limited(response: HttpResponse, limited: RateLimited) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(limited.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    # Where the person was: the confirmation link leads back there, through the log-in.
    target = next_url(request, default="")
    if request.user.is_authenticated:
        return redirect(target or "accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_register(
                email=data["email"],
                public_name=data["public_name"],
                password=data["password1"],
                municipality=data["municipality"],
                language=request.LANGUAGE_CODE,
                base_url=_base_url(request),
                ip=client_ip(request),
                next_path=target,
            )
        except RateLimited as limited:
            form.add_error(None, limited.message)
            page = render(request, "accounts/register.html", {"form": form, "next": target})
            return _limited(page, limited)
        # The same page whether the address was new or taken; its owner was told by mail.
        return render(request, "accounts/registration_sent.html", {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form, "next": target})


@require_http_methods(["GET"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_confirm_email(token=token)
    except ValidationError as error:
        return render(
            request,
            "accounts/confirm_failed.html",
            {"reason": error.messages[0], "form": ResendConfirmationForm()},
            status=400,
        )
    messages.success(
        request, _("Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.")
    )
    target = next_url(request, default="")
    login = reverse("accounts:login")
    return redirect(f"{login}?{urlencode({'next': target})}" if target else login)


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation_resend(
                email=form.cleaned_data["email"],
                base_url=_base_url(request),
                ip=client_ip(request),
            )
        except RateLimited as limited:
            form.add_error(None, limited.message)
            page = render(request, "accounts/resend_confirmation.html", {"form": form})
            return _limited(page, limited)
        # The same answer either way, so the form does not reveal who has an account.
        return render(
            request, "accounts/registration_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(request, "accounts/resend_confirmation.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("municipality", "organisation")
    context = {
        "memberships": memberships,
        "can_use_two_factor": rules.test_rule("accounts.can_use_two_factor", request.user),
    }
    return render(request, "accounts/profile.html", context)


@never_cache  # the new key is in the page once; no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the person's API keys and create one; a new key is shown in this response only."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, plain_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            created = {"token": token, "plain": plain_token}
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "created": created, "tokens": api_token_list(user=request.user)},
    )


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(
        request,
        _("Der Schlüssel „%(name)s“ ist widerrufen und funktioniert nicht mehr.")
        % {"name": token.name},
    )
    return redirect("accounts:api_tokens")


class LoginView(auth_views.LoginView):
    """The password step; people with two-factor log-in go on to the code (``login_code``)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        if user.two_factor_enabled:
            two_factor_login_start(self.request, user=user, next_url=self.get_success_url())
            return redirect("accounts:login_code")
        return super().form_valid(form)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.locked is not None:
            return _limited(response, form.locked)
        return response


@require_http_methods(["GET", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's log-in is the site's: one page that throttles and asks for the second factor.

    Someone logged in who is not a platform admin is told where their work is, rather than sent
    to the log-in, which would send them back here.
    """
    if request.user.is_authenticated:
        return render(request, "accounts/admin_refused.html", status=403)
    target = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(target, reverse("accounts:login"))


def admin_password_change(request: HttpRequest) -> HttpResponse:
    """The admin's own password change checked the old password without the log-in's lock; a
    password is changed the site's way, through the mailbox, as everyone else does."""
    return redirect("accounts:password_reset")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    # The mail names the platform as the installation calls itself, not by its host name.
    extra_email_context = {"site_name": settings.SITE_NAME}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Counted whether or not the address has an account (Django mails only if it has one),
        # so neither the answer nor the limit tells who is registered.
        try:
            mail_request_check(
                action="password_reset",
                email=form.cleaned_data["email"],
                ip=client_ip(self.request),
            )
        except RateLimited as limited:
            form.add_error(None, limited.message)
            return _limited(self.form_invalid(form), limited)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_completed(user=form.user)
        return response


def _operator() -> dict[str, object]:
    return {
        "name": settings.OPERATOR_NAME,
        "address": settings.OPERATOR_ADDRESS,
        "email": settings.OPERATOR_EMAIL,
        "phone": settings.OPERATOR_PHONE,
        "data_protection_officer": settings.DATA_PROTECTION_OFFICER,
    }


@require_http_methods(["GET"])
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice, in the page's language; operators replace the text by a template."""
    return render(
        request,
        "accounts/privacy_notice.html",
        {
            "operator": _operator(),
            "version": settings.PRIVACY_NOTICE_VERSION,
            "retention_days": settings.RETENTION_DAYS_AFTER_PROJECT_END,
            "unconfirmed_days": settings.RETENTION_DAYS_UNCONFIRMED_ACCOUNT,
            "site_name": settings.SITE_NAME,
            "text_template": f"accounts/privacy/notice_{request.LANGUAGE_CODE}.html",
        },
    )


@require_http_methods(["GET"])
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/imprint.html", {"operator": _operator()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def privacy_consent(request: HttpRequest) -> HttpResponse:
    """Asked at the next visit when the privacy notice changed since the person accepted it."""
    target = next_url(request, default="/")
    if not privacy_notice_outdated(request.user):
        return redirect(target)
    form = PrivacyConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy_notice_accept(user=request.user)
        messages.success(
            request, _("Danke. Sie haben die aktuellen Datenschutzhinweise angenommen.")
        )
        return redirect(target)
    return render(
        request,
        "accounts/privacy_consent.html",
        {"form": form, "next": target, "version": settings.PRIVACY_NOTICE_VERSION},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    """The data download: a ZIP of JSON files with everything kept about the person."""
    if request.method == "POST":
        try:
            check_rate(action="data_export", user=request.user, ip=client_ip(request))
        except RateLimited as limited:
            response = render(
                request, "accounts/data_export.html", {"refusal": limited.message}, status=429
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        archive = personal_data_archive(user=request.user)
        day = timezone.localdate().isoformat()
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="meine-daten-{day}.zip"'
        return response
    return render(request, "accounts/data_export.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after the password is given again; works without JavaScript."""
    form = AccountDeleteForm(request.POST or None, user=request.user, ip=client_ip(request))
    if request.method == "POST" and form.is_valid():
        user_erase(user=request.user)
        logout(request)
        return render(request, "accounts/account_deleted.html")
    response = render(request, "accounts/account_delete.html", {"form": form})
    if form.locked is not None:
        response.status_code = 429
        response["Retry-After"] = str(form.locked.retry_after)
    return response

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import LoginForm, RegistrationForm, ResendConfirmationForm
from .models import User
from .services import confirmation_send, normalise_email, user_confirm_email, user_register


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user_register(
            email=data["email"],
            public_name=data["public_name"],
            password=data["password1"],
            municipality=data["municipality"],
            language=request.LANGUAGE_CODE,
            base_url=_base_url(request),
        )
        return render(request, "accounts/registration_sent.html", {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form})


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
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email=normalise_email(form.cleaned_data["email"]), email_confirmed_at__isnull=True
        ).first()
        if user is not None:
            confirmation_send(user=user, base_url=_base_url(request))
        # The same answer either way, so the form does not reveal who has an account.
        return render(
            request, "accounts/registration_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(request, "accounts/resend_confirmation.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("municipality", "organisation")
    return render(request, "accounts/profile.html", {"memberships": memberships})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

from django.contrib.auth import views as auth_views
from django.urls import path

from . import invitation_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("registrieren/", views.register, name="register"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("bestaetigen/", views.resend_confirmation, name="resend_confirmation"),
    path("einladung/<str:token>/", invitation_views.invitation_view, name="invitation"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("anmelden/code/", two_factor_views.login_code, name="login_code"),
    path("zwei-faktor/", two_factor_views.two_factor, name="two_factor"),
    path("zwei-faktor/einschalten/", two_factor_views.two_factor_on, name="two_factor_on"),
    path("zwei-faktor/ausschalten/", two_factor_views.two_factor_off, name="two_factor_off"),
    path(
        "zwei-faktor/neue-codes/",
        two_factor_views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.profile, name="profile"),
    path("api-schluessel/", views.api_tokens, name="api_tokens"),
    path("meine-daten/", views.data_export, name="data_export"),
    path("loeschen/", views.account_delete, name="delete"),
    path("datenschutz-zustimmen/", views.privacy_consent, name="privacy_consent"),
    path(
        "api-schluessel/<int:token_id>/widerrufen/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("passwort/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort/fertig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

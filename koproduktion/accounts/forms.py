from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin
from koproduktion.core.models import Municipality
from koproduktion.core.plain_text import plain_line

from .models import User
from .services import normalise_email


class RegistrationForm(HoneypotFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Wir senden Ihnen einen Link zur Bestätigung. Sie wird nie veröffentlicht."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    public_name = forms.CharField(
        label=_("Öffentlicher Name"),
        min_length=3,
        max_length=40,
        help_text=_(
            "Steht bei Ihren Beiträgen. Ein Pseudonym genügt, Ihr echter Name ist nicht nötig."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Ihre Kommune"),
        queryset=Municipality.objects.filter(is_public=True),
        required=False,
        empty_label=_("– später wählen –"),
        help_text=_("Wo Sie wohnen oder sich engagieren."),
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise gelesen und bin einverstanden."),
    )

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise ValidationError(
                _(
                    "Zu dieser E-Mail-Adresse gibt es schon ein Konto. Melden Sie sich an oder "
                    "setzen Sie Ihr Passwort zurück."
                ),
                code="taken",
            )
        return email

    def clean_public_name(self) -> str:
        # As it will be stored: a name with invisible characters is the same name.
        name = plain_line(self.cleaned_data["public_name"])
        if not name:
            raise ValidationError(self.fields["public_name"].error_messages["required"])
        if User.objects.filter(public_name__iexact=name).exists():
            raise ValidationError(
                _("Dieser Name ist schon vergeben. Bitte wählen Sie einen anderen."), code="taken"
            )
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            probe = User(email=cleaned.get("email", ""), public_name=cleaned.get("public_name", ""))
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Log in with e-mail address and password; only confirmed addresses get in."""

    error_messages = {
        "invalid_login": _("E-Mail-Adresse oder Passwort stimmen nicht."),
        "inactive": _("Dieses Konto ist gesperrt."),
        "unconfirmed": _(
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse mit dem Link, den wir Ihnen "
            "geschickt haben."
        ),
    }

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=60,
        help_text=_("Wofür ist der Schlüssel? Zum Beispiel „Auswertung Stadtteilbüro“."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin
from koproduktion.core.models import Municipality
from koproduktion.core.plain_text import plain_line
from koproduktion.core.ratelimit import LockedOut

from .authentication import login_authenticate, password_confirm
from .models import User
from .services import normalise_email


class AccountDetailsForm(forms.Form):
    """What a new account needs besides its address: a public name, a password, the consent."""

    public_name = forms.CharField(
        label=_("Öffentlicher Name"),
        min_length=3,
        max_length=40,
        help_text=_(
            "Steht bei Ihren Beiträgen. Ein Pseudonym genügt, Ihr echter Name ist nicht nötig."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
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
        help_text=format_lazy(
            '<a href="{url}" target="_blank" rel="noopener">{text}</a>',
            url=reverse_lazy("privacy_notice"),
            text=_("Datenschutzhinweise lesen (öffnet ein neues Fenster)"),
        ),
    )

    def address(self) -> str:
        """The address the account will have (for the check that the password is not like it)."""
        return self.cleaned_data.get("email", "")

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
            probe = User(email=self.address(), public_name=cleaned.get("public_name", ""))
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RegistrationForm(HoneypotFormMixin, AccountDetailsForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Wir senden Ihnen einen Link zur Bestätigung. Sie wird nie veröffentlicht."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Ihre Kommune"),
        queryset=Municipality.objects.filter(is_public=True),
        required=False,
        empty_label=_("– später wählen –"),
        help_text=_("Wo Sie wohnen oder sich engagieren."),
    )
    field_order = ("email", "public_name", "municipality", "password1", "password2")

    def clean_email(self) -> str:
        # A taken address is not an error here: the registration answers alike either way and
        # tells the owner by mail (services.user_register), so nobody learns who is registered.
        return normalise_email(self.cleaned_data["email"])


class InvitationRegistrationForm(AccountDetailsForm):
    """A new account through an invitation's link: the address is the invited one."""

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def address(self) -> str:
        return self.email


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

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.locked: LockedOut | None = None

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])

    def clean(self) -> dict:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = login_authenticate(
                    request=self.request, email=email, password=password
                )
            except LockedOut as locked:
                self.locked = locked
                raise ValidationError(locked.message, code="locked") from locked
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

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


class PasswordField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Ihr Passwort"))
        kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "current-password"}))
        super().__init__(strip=False, **kwargs)


class PrivacyConsentForm(forms.Form):
    accept = forms.BooleanField(
        label=_("Ich habe die geänderten Datenschutzhinweise gelesen und bin einverstanden."),
    )


class AccountDeleteForm(forms.Form):
    """Deleting the account asks for the password, so an open session alone cannot do it.

    Checked through ``password_confirm``, so guesses here count against the log-in's lock; while
    it holds, ``locked`` says for how long.
    """

    password = PasswordField()

    def __init__(self, *args, user: User, ip: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.ip = ip
        self.locked: LockedOut | None = None

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        try:
            password_confirm(user=self.user, password=password, ip=self.ip)
        except LockedOut as locked:
            self.locked = locked
            raise ValidationError(locked.message, code="locked") from locked
        except ValidationError as wrong:
            raise ValidationError(wrong.message_dict["password"], code="wrong_password") from wrong
        return password


class TwoFactorCodeForm(forms.Form):
    """The second step of a log-in."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Die sechs Ziffern, die Ihre Authentifizierungs-App gerade anzeigt, oder einer Ihrer "
            "Wiederherstellungscodes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TwoFactorEnableForm(forms.Form):
    code = forms.CharField(
        label=_("Code aus der App"),
        max_length=10,
        help_text=_("Die sechs Ziffern, die Ihre App nach dem Einrichten anzeigt."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off"}
        ),
    )
    password = PasswordField()


class PasswordConfirmForm(forms.Form):
    password = PasswordField()

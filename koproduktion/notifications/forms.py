from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailFrequency, Kind


class NotificationSettingsForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("E-Mails zu Benachrichtigungen"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )


class InboxFilterForm(forms.Form):
    art = forms.ChoiceField(
        label=_("Art der Benachrichtigung"),
        required=False,
        choices=[("", _("alle")), *Kind.choices],
    )

    def kind(self) -> Kind | None:
        """The kind asked for, or None for all (also when the address names no known kind)."""
        if not self.is_valid() or not self.cleaned_data["art"]:
            return None
        return Kind(self.cleaned_data["art"])

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailFrequency


class NotificationSettingsForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("E-Mails zu Benachrichtigungen"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin

from .models import (
    BARRIERS_MAX,
    DESCRIPTION_MAX,
    ENFORCEMENT_MAX,
    NAME_MAX,
    PAGE_MAX,
    AccessibilityStatement,
    Conformity,
    Method,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatementForm(forms.Form):
    """The statement's fields, as the town's admins fill them in; the service checks again."""

    conformity = forms.TypedChoiceField(
        label=_("Stand der Vereinbarkeit mit den Anforderungen"),
        choices=Conformity.choices,
        coerce=Conformity,
        widget=forms.RadioSelect,
    )
    barriers = forms.CharField(
        label=_("Nicht barrierefreie Inhalte"),
        required=False,
        max_length=BARRIERS_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=AccessibilityStatement._meta.get_field("barriers").help_text,
    )
    prepared_on = forms.DateField(label=_("Erklärung erstellt am"), widget=DATE)
    reviewed_on = forms.DateField(label=_("Zuletzt überprüft am"), required=False, widget=DATE)
    method = forms.TypedChoiceField(
        label=_("Grundlage der Erklärung"),
        choices=Method.choices,
        coerce=Method,
        widget=forms.RadioSelect,
    )
    contact_email = forms.EmailField(
        label=_("E-Mail-Adresse für Rückmeldungen"),
        help_text=AccessibilityStatement._meta.get_field("contact_email").help_text,
    )
    enforcement = forms.CharField(
        label=_("Schlichtungsstelle"),
        max_length=ENFORCEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=AccessibilityStatement._meta.get_field("enforcement").help_text,
    )


class BarrierReportForm(HoneypotFormMixin, forms.Form):
    page = forms.CharField(
        label=_("Auf welcher Seite?"),
        max_length=PAGE_MAX,
        help_text=_("Die Adresse oder der Name der Seite."),
    )
    description = forms.CharField(
        label=_("Was hat nicht funktioniert?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Zum Beispiel: was Sie tun wollten, womit Sie die Seite nutzen (Tastatur, "
            "Screenreader, Vergrößerung) und was geschah."
        ),
    )
    contact_name = forms.CharField(label=_("Ihr Name"), required=False, max_length=NAME_MAX)
    contact_email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort möchten. Die Kommune antwortet an diese Adresse."),
    )

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin
from koproduktion.core.models import Organisation
from koproduktion.core.selectors import neighbourhood_list, represented_organisations

from .models import ObjectKind, SponsorshipObject
from .services import EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObjectFilterForm(forms.Form):
    art = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("alle")), *ObjectKind.choices]
    )
    frei = forms.ChoiceField(
        label=_("Zeigen"),
        required=False,
        choices=[("", _("alle")), ("ja", _("nur freie")), ("nein", _("nur vergebene"))],
    )


class ObjectForm(forms.ModelForm):
    class Meta:
        model = SponsorshipObject
        fields = EDITABLE_FIELDS
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "duties": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)

    def _post_clean(self) -> None:
        pass


class ApplyForm(HoneypotFormMixin, forms.Form):
    motivation = forms.CharField(
        label=_("Warum möchten Sie die Patenschaft übernehmen?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wished_start = forms.DateField(label=_("gewünschter Beginn"), required=False, widget=DATE)
    organisation = forms.ModelChoiceField(
        label=_("für die Organisation"), required=False, queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, user: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        represented = represented_organisations(user=user, municipality_id=municipality.pk)
        if represented.exists():
            self.fields["organisation"].queryset = represented
            self.fields["organisation"].empty_label = _("– als Privatperson –")
        else:
            del self.fields["organisation"]


class ApproveForm(forms.Form):
    term_start = forms.DateField(label=_("Beginn"), widget=DATE)
    term_end = forms.DateField(label=_("Ende"), widget=DATE)
    duties = forms.CharField(label=_("Pflichten"), widget=forms.Textarea(attrs={"rows": 3}))
    insurance_note = forms.CharField(
        label=_("Hinweis zur Versicherung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Zum Beispiel: Ehrenamtliche sind über die Sammelversicherung des Landes versichert."
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung der Ablehnung"), widget=forms.Textarea(attrs={"rows": 2})
    )


class HandBackForm(forms.Form):
    reason = forms.CharField(label=_("Grund (freiwillig)"), required=False, max_length=500)


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Zum Beispiel: Der Baum wurde gefällt. Pat*innen und Antragstellende erfahren den "
            "Grund."
        ),
        error_messages={"required": _("Bitte nennen Sie den Grund; die Pat*innen erfahren ihn.")},
    )

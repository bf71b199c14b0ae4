from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Was stimmt nicht?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Öffentliche Begründung"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BlockForm(ReasonForm):
    ends_at = forms.DateTimeField(
        label=_("Gesperrt bis"),
        required=False,
        help_text=_("Leer lassen für eine Sperre ohne Ende."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class CommunityRulesForm(forms.Form):
    summary = forms.CharField(label=_("Kurzfassung"), max_length=300)
    text = forms.CharField(label=_("Regeln"), widget=forms.Textarea(attrs={"rows": 12}))
    summary_en = forms.CharField(
        label=_("Kurzfassung auf Englisch"),
        max_length=300,
        required=False,
        help_text=_("Für alle, die die Seite auf Englisch lesen."),
    )
    text_en = forms.CharField(
        label=_("Regeln auf Englisch"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

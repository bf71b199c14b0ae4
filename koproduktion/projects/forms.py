from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.core.selectors import neighbourhood_list, topic_list

from .capabilities import PhaseKind
from .selectors import ProjectFilters


class ProjectFilterForm(forms.Form):
    """The filters of a project list. Values are slugs, so filtered lists have readable URLs."""

    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("alle Phasen")), *PhaseKind.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Themen"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Quartiere"),
    )

    def __init__(self, *args, municipality: Municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topic_list(municipality=municipality)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)

    def filters(self) -> ProjectFilters:
        """The valid part of the filters; an invalid field filters nothing and shows its error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        phase = data.get("phase")
        return ProjectFilters(
            phase=PhaseKind(phase) if phase else None,
            topic=data.get("topic"),
            neighbourhood=data.get("neighbourhood"),
        )

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import TopicAndPlaceFilterForm

from .capabilities import PhaseKind
from .selectors import ProjectFilters


class ProjectFilterForm(TopicAndPlaceFilterForm):
    """The filters of a project list."""

    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("alle Phasen")), *PhaseKind.choices]
    )
    field_order = ("phase", "topic", "neighbourhood")

    def filters(self) -> ProjectFilters:
        data = self.valid_data()
        phase = data.get("phase")
        return ProjectFilters(
            phase=PhaseKind(phase) if phase else None,
            topic=data.get("topic"),
            neighbourhood=data.get("neighbourhood"),
        )

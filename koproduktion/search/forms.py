"""The search form (GET): what to search for, which kind, which project."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import FilterForm
from koproduktion.core.models import Municipality
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import visible_project_ids

from .registry import sources
from .selectors import MAX_LENGTH, TOO_LONG, clean_query, unknown_kind


class SearchForm(FilterForm):
    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        max_length=MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    art = forms.ChoiceField(label=_("Art"), required=False)
    vorhaben = forms.ModelChoiceField(
        label=_("Vorhaben"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Vorhaben"),
        error_messages={"invalid_choice": _("Dieses Vorhaben gibt es hier nicht.")},
    )

    def __init__(self, *args: Any, municipality: Municipality, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = sources()
        self.fields["art"].choices = [
            ("", _("alle Arten")),
            *((source.slug, source.label) for source in kinds),
        ]
        self.fields["art"].error_messages["invalid_choice"] = unknown_kind(
            [source.label for source in kinds]
        )
        self.fields["vorhaben"].queryset = Project.objects.filter(
            municipality=municipality,
            pk__in=visible_project_ids(municipality=municipality, user=user),
        ).order_by("title")

    def clean_q(self) -> str:
        return clean_query(self.cleaned_data["q"])

"""The search form (GET): what to search for, which kind, which project."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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
    # The project's slug, from the address only (a select of every project would cost a big
    # town more than the search): the page names the project and links to all of them.
    vorhaben = forms.SlugField(required=False, widget=forms.HiddenInput)

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
        self.municipality, self.user = municipality, user

    def clean_q(self) -> str:
        return clean_query(self.cleaned_data["q"])

    def clean_vorhaben(self) -> Project | None:
        slug = self.cleaned_data["vorhaben"]
        if not slug:
            return None
        project = Project.objects.filter(
            municipality=self.municipality,
            slug=slug,
            pk__in=visible_project_ids(municipality=self.municipality, user=self.user),
        ).first()
        if project is None:
            raise ValidationError(_("Dieses Vorhaben gibt es hier nicht."))
        return project

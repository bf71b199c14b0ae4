"""The library's forms: staff write an example; visitors filter the library."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import FilterForm
from koproduktion.projects.models import Project

from .models import PracticeExample
from .services import PRACTICE_FIELDS


class PracticeExampleForm(forms.ModelForm):
    """Staff write or change an example; the service checks it as a whole."""

    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=500,
        help_text=_(
            "Durch Kommas getrennt, zum Beispiel: Spielplatz, Kinder und Jugend, Grünflächen. "
            "Dieselben Schlagwörter gelten in allen Kommunen der Plattform."
        ),
    )

    contact_url = forms.URLField(
        label=_("Link zu mehr Informationen"),
        required=False,
        assume_scheme="https",
        max_length=200,
    )

    class Meta:
        model = PracticeExample
        fields = (*PRACTICE_FIELDS, "project")
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 6}),
            "actors": forms.Textarea(attrs={"rows": 2}),
            "worked": forms.Textarea(attrs={"rows": 4}),
            "not_worked": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "is_published": _(
                "Veröffentlichte Beispiele sehen alle – auch in den anderen Kommunen der Plattform."
            ),
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            municipality=municipality
        ).order_by("title")
        self.fields["project"].empty_label = _("– kein Vorhaben auf der Plattform –")
        self.fields["setting"].choices = [
            ("", _("– keine Angabe –")),
            *self.fields["setting"].choices[1:],
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in (*PRACTICE_FIELDS, "project")}
        values["tags"] = [self.cleaned_data["tags"]]
        return values

    def _post_clean(self) -> None:
        # The service validates the example as a whole and names the field of each problem.
        pass


class LibraryFilterForm(FilterForm):
    """Filters of the library by tag slug and origin; an unknown tag is named, never a 500."""

    HERE, ALL = "hier", "alle"

    schlagwort = forms.ModelChoiceField(
        label=_("Schlagwort"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Schlagwörter"),
        error_messages={
            "invalid_choice": _(
                "Dieses Schlagwort gibt es in der Bibliothek nicht. Bitte wählen Sie eines aus "
                "der Liste."
            )
        },
    )
    herkunft = forms.ChoiceField(label=_("Herkunft"), required=False)

    def __init__(self, *args: Any, municipality: Any, tags: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schlagwort"].queryset = tags
        self.fields["herkunft"].choices = [
            (self.ALL, _("aus allen Kommunen")),
            (self.HERE, _("nur aus %(name)s") % {"name": municipality.name}),
        ]

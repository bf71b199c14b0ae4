"""The forms of the town's administration: fields, labels and limits come from the models;
what the town allows (a free name, an area in the right order) the services check."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import model_formfield
from koproduktion.core.models import Department, Municipality, Neighbourhood, Organisation, Topic
from koproduktion.core.selectors import department_list

from .services import AREA, SETTINGS_FIELDS

LIMITS = {
    "area_south": 90,
    "area_north": 90,
    "area_west": 180,
    "area_east": 180,
}


class ModelFieldsForm(forms.Form):
    """A form with the fields of ``model`` named in ``names``, as a ModelForm would make them,
    but no instance to change: the view hands ``cleaned_data`` to a service."""

    model: ClassVar[type[models.Model]]
    names: ClassVar[tuple[str, ...]]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields.update(
            forms.fields_for_model(
                self.model, fields=self.names, formfield_callback=model_formfield
            )
        )


class SettingsForm(ModelFieldsForm):
    model = Municipality
    names = SETTINGS_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, limit in LIMITS.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(-limit), MaxValueValidator(limit)]
            field.widget.attrs.update({"step": "any", "min": -limit, "max": limit})
        self.fields["description"].widget.attrs["rows"] = 4
        for name in (
            "support_quorum",
            "initiative_threshold",
            "answer_within_days",
            "min_readability",
        ):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

        # Empty keeps the town's number (a form sent without it changes nothing there).
        self.fields["initiative_threshold"].required = False
        self.fields["open_data_licence"].required = False

    def clean_initiative_threshold(self) -> int:
        value = self.cleaned_data.get("initiative_threshold")
        return self.municipality.initiative_threshold if value is None else value

    def clean_open_data_licence(self) -> str:
        return self.cleaned_data.get("open_data_licence") or self.municipality.open_data_licence

    @property
    def area_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in AREA]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.names if name not in AREA]


class NeighbourhoodForm(ModelFieldsForm):
    model = Neighbourhood
    names = ("name", "description", "population")


class DepartmentForm(ModelFieldsForm):
    model = Department
    names = ("name", "email", "phone")


class OrganisationForm(ModelFieldsForm):
    model = Organisation
    names = ("name", "kind", "website")


class TopicForm(ModelFieldsForm):
    model = Topic
    names = ("name", "department")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        department.queryset = department_list(municipality=self.municipality)
        department.empty_label = _("keiner – der Fachbereich des Vorhabens")

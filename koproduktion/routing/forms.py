from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import FilterForm
from koproduktion.core.models import Department, Municipality
from koproduktion.core.selectors import neighbourhood_list
from koproduktion.dialogue.models import TEXT_MAX
from koproduktion.projects.models import Project

from .models import AssignmentKind
from .selectors import UNROUTED, InboxFilters

# The names of the inbox's filters in its address, in the order they are shown.
FILTER_NAMES = ("fachbereich", "vorhaben", "art", "quartier", "ueberfaellig")


class InboxFilterForm(FilterForm):
    """The inbox's filters (GET). Choices are the town's; the departments those of the person."""

    fachbereich = forms.ChoiceField(label=_("Fachbereich"), required=False)
    vorhaben = forms.TypedChoiceField(
        label=_("Vorhaben"), required=False, coerce=int, empty_value=None
    )
    art = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("alle")), *AssignmentKind.choices]
    )
    quartier = forms.ChoiceField(label=_("Quartier"), required=False)
    ueberfaellig = forms.BooleanField(label=_("nur überfällige"), required=False)

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        departments: list[tuple[int, str]],
        all_inboxes: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.departments = dict(departments)
        self.fields["fachbereich"].choices = [
            ("", _("alle meine Fachbereiche") if not all_inboxes else _("alle Fachbereiche")),
            *((str(pk), name) for pk, name in departments),
            *([(UNROUTED, _("noch ohne Fachbereich"))] if all_inboxes else []),
        ]
        self.projects = dict(
            Project.objects.filter(municipality=municipality).values_list("pk", "title")
        )
        self.fields["vorhaben"].choices = [("", _("alle Vorhaben")), *self.projects.items()]
        self.neighbourhoods = {
            slug: (pk, name)
            for pk, slug, name in neighbourhood_list(municipality=municipality).values_list(
                "pk", "slug", "name"
            )
        }
        self.fields["quartier"].choices = [
            ("", _("alle Quartiere")),
            *((slug, name) for slug, (_pk, name) in self.neighbourhoods.items()),
        ]

    def filters(self) -> InboxFilters:
        data = self.valid_data()
        department: Department | str | None = None
        chosen = data.get("fachbereich")
        if chosen == UNROUTED:
            department = UNROUTED
        elif chosen:
            department = Department(pk=int(chosen), name=self.departments[int(chosen)])
        project = data.get("vorhaben")
        neighbourhood = data.get("quartier")
        return InboxFilters(
            department=department,
            project=Project(pk=project) if project else None,
            kind=AssignmentKind(data["art"]) if data.get("art") else None,
            neighbourhood_id=self.neighbourhoods[neighbourhood][0] if neighbourhood else None,
            overdue=bool(data.get("ueberfaellig")),
        )


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Offizielle Antwort"), max_length=TEXT_MAX)


class ReassignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Neuer Fachbereich"), queryset=Department.objects.none()
    )
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steht im Protokoll der Verwaltung und im Posteingang des Fachbereichs."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)

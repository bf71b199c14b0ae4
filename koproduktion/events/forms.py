from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import FilterForm, HoneypotFormMixin, InRangeModelMultipleChoiceField
from koproduktion.core.models import Organisation
from koproduktion.core.selectors import department_list, neighbourhood_list, organisation_list
from koproduktion.core.uploads import UploadFormField
from koproduktion.ideas.models import TEXT_MAX, TITLE_MAX
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import managed_projects, visible_project_ids

from .models import MAX_PEOPLE, Event, EventKind
from .services import EVENT_FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    """Staff set up or change an event; the service checks the event as a whole."""

    latitude = forms.FloatField(
        label=_("Breitengrad"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Ort auf der Karte wählen – oder die Zahlen eintragen, z. B. 52.1234."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Längengrad"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_until": DATETIME,
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "is_published": _(
                "Erst veröffentlichte Veranstaltungen sehen alle und können sich anmelden."
            ),
        }

    def __init__(self, *args: Any, municipality: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = managed_projects(
            municipality=municipality, user=user
        ).order_by("title")
        self.fields["project"].empty_label = _("– die ganze Kommune –")
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["neighbourhood"].empty_label = _("– kein bestimmtes Quartier –")
        self.fields["department"].queryset = department_list(municipality=municipality)
        self.fields["organisation"].queryset = organisation_list(municipality=municipality)
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["capacity"].min_value = 1

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS}

    def _post_clean(self) -> None:
        # The service validates the event as a whole and names the field of each problem.
        pass


class EventFilterForm(FilterForm):
    """Filters of the town's events, by slug and key (readable URLs); unknown values are named."""

    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Quartiere"),
    )
    vorhaben = forms.ModelChoiceField(
        label=_("Vorhaben"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Vorhaben"),
    )
    art = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("alle Arten")), *EventKind.choices]
    )

    def __init__(self, *args: Any, municipality: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["vorhaben"].queryset = Project.objects.filter(
            pk__in=visible_project_ids(municipality=municipality, user=user)
        ).order_by("title")


class RegistrationForm(HoneypotFormMixin, forms.Form):
    people = forms.IntegerField(
        label=_("Anzahl Personen"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
    )
    note = forms.CharField(
        label=_("Hinweis für das Team (freiwillig)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Was brauchen Sie, um gut teilnehmen zu können? Zum Beispiel: Rollstuhlplatz, "
            "Gebärdensprache, Kinderbetreuung."
        ),
    )

    organisation = forms.ModelChoiceField(
        label=_("Anmelden als"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Für eine Organisation, die Sie vertreten: sie steht dann öffentlich dabei."),
    )
    field_order = ("organisation", "people", "note")

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Here, not in the class: the sentence follows the page's language.
        self.fields["people"].help_text = _("Sie und wer mit Ihnen kommt (höchstens %(max)d).") % {
            "max": MAX_PEOPLE
        }
        # Representatives choose whom they register; everyone else registers themselves.
        if organisations is not None and organisations.exists():
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("mich selbst")
        else:
            del self.fields["organisation"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum fällt die Veranstaltung aus?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steht auf der Seite und geht an alle, die sich angemeldet haben."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Protokoll"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Was besprochen wurde und wie es weitergeht. Markdown ist erlaubt."),
    )
    minutes_file = UploadFormField(
        label=_("Protokoll als Datei (freiwillig)"),
        required=False,
        help_text=_("PDF, Bild oder Office-Dokument, höchstens 20 MB."),
    )
    remove_file = forms.BooleanField(label=_("Bisherige Datei entfernen"), required=False)
    ideas = InRangeModelMultipleChoiceField(
        label=_("Ideen, die dort besprochen wurden"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ideen, die bei der Veranstaltung aufgenommen wurden, zählen ohnehin dazu."),
    )

    def __init__(self, *args: Any, ideas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = ideas


class OnSiteIdeaForm(forms.Form):
    """An idea said at the event, typed in by staff for a person without an account."""

    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX, min_length=5)
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=TEXT_MAX,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contributor_name = forms.CharField(
        label=_("Name der Person"),
        max_length=80,
        required=False,
        help_text=_("Nur mit ihrem Einverständnis; leer lassen für „anonym“."),
    )

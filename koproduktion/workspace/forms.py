"""Forms of the workspace. Field names follow the services' arguments, so that a service's
refusal of a field lands next to that field (``core.forms.form_errors_from``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import InRangeModelMultipleChoiceField
from koproduktion.core.models import Department, Municipality
from koproduktion.core.money import EuroField
from koproduktion.core.rules import staff_departments
from koproduktion.core.selectors import department_list, neighbourhood_list, topic_list
from koproduktion.core.uploads import UploadFormField
from koproduktion.decisions.models import Poll, PollKind, PollOption, ResultsVisibility
from koproduktion.projects.capabilities import PhaseKind, allowed_in
from koproduktion.projects.models import Project
from koproduktion.projects.rules import manages_all_projects
from koproduktion.projects.services import PlannedPhase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
EURO_HELP = _("In Euro, zum Beispiel 12.500,50.")


class ProjectForm(forms.Form):
    """The basics of a project (step 1)."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=300,
        help_text=_("Ein Satz, der in der Liste der Vorhaben steht."),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown ist erlaubt."),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"), queryset=None, required=False, empty_label=_("ganze Kommune")
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"), queryset=None, required=False, empty_label=_("– kein Thema –")
    )
    department = forms.ModelChoiceField(
        label=_("Federführender Fachbereich"),
        queryset=None,
        empty_label=_("– bitte wählen –"),
        help_text=_("Beantwortet die Beiträge, die kein beteiligter Fachbereich übernimmt."),
    )
    involved_departments = InRangeModelMultipleChoiceField(
        label=_("Beteiligte Fachbereiche"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ihre Mitarbeitenden verwalten das Vorhaben mit."),
    )
    cost_estimate_cents = EuroField(
        label=_("Geschätzte Kosten"), required=False, help_text=EURO_HELP
    )
    next_decision_date = forms.DateField(
        label=_("Nächster Entscheidungstermin"), required=False, widget=DATE
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        user: Any,
        project: Project | None = None,
        **kwargs: Any,
    ) -> None:
        if project is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(project, name) for name in PROJECT_FIELDS},
                    "involved_departments": list(project.involved_departments.all()),
                },
            )
        super().__init__(*args, **kwargs)
        departments = department_list(municipality=municipality)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["topic"].queryset = topic_list(municipality=municipality)
        self.fields["involved_departments"].queryset = departments
        if manages_all_projects.test(user, municipality):
            self.fields["department"].queryset = departments
            self.fields["department"].required = False
            self.fields["department"].empty_label = _("– noch keiner –")
        else:
            # Staff lead with one of their own departments (or keep the lead the project has).
            own = [pk for pk, town in staff_departments(user).items() if town == municipality.pk]
            if project is not None and project.department_id:
                own.append(project.department_id)
            self.fields["department"].queryset = Department.objects.filter(pk__in=own)
            self.fields["department"].help_text = _(
                "Einer Ihrer Fachbereiche. Beantwortet die Beiträge, die kein beteiligter "
                "Fachbereich übernimmt."
            )


PROJECT_FIELDS = (
    "title",
    "summary",
    "description",
    "neighbourhood",
    "topic",
    "department",
    "cost_estimate_cents",
    "next_decision_date",
)


class TimelineForm(forms.Form):
    """The five phases with their dates (step 2): one group of fields per phase."""

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        phases = {phase.kind: phase for phase in project.phases.all()}
        initial = {}
        for kind, phase in phases.items():
            initial[f"{kind}_starts_on"] = phase.starts_on
            initial[f"{kind}_ends_on"] = phase.ends_on
            initial[f"{kind}_description"] = phase.description
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for kind in PhaseKind:
            self.fields[f"{kind.value}_starts_on"] = forms.DateField(
                label=_("Beginn: %(phase)s") % {"phase": kind.label}, required=False, widget=DATE
            )
            self.fields[f"{kind.value}_ends_on"] = forms.DateField(
                label=_("Ende: %(phase)s") % {"phase": kind.label}, required=False, widget=DATE
            )
            self.fields[f"{kind.value}_description"] = forms.CharField(
                label=_("Was geschieht: %(phase)s") % {"phase": kind.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def groups(self) -> list[dict[str, Any]]:
        """Per phase: its name, what people may do in it, and its three fields."""
        return [
            {
                "kind": kind,
                "allowed": allowed_in(kind),
                "fields": [self[f"{kind.value}_{name}"] for name in FIELDS_PER_PHASE],
            }
            for kind in PhaseKind
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for kind in PhaseKind:
            starts = cleaned.get(f"{kind.value}_starts_on")
            if starts is None and (
                cleaned.get(f"{kind.value}_ends_on") or cleaned.get(f"{kind.value}_description")
            ):
                self.add_error(
                    f"{kind.value}_starts_on",
                    _("Bitte geben Sie den Beginn an, oder lassen Sie die Phase ganz leer."),
                )
        return cleaned

    def plan(self) -> dict[PhaseKind, PlannedPhase | None]:
        """The timeline as ``timeline_set`` takes it: a phase without a start is not on it."""
        data = self.cleaned_data
        return {
            kind: PlannedPhase(
                starts_on=data[f"{kind.value}_starts_on"],
                ends_on=data.get(f"{kind.value}_ends_on"),
                description=data.get(f"{kind.value}_description", ""),
            )
            if data.get(f"{kind.value}_starts_on")
            else None
            for kind in PhaseKind
        }


FIELDS_PER_PHASE = ("starts_on", "ends_on", "description")


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    file = UploadFormField(
        label=_("Datei"),
        required=False,
        help_text=_("PDF, Bild oder Office-Dokument ohne Makros, höchstens 20 MB."),
    )
    url = forms.URLField(
        label=_("oder ein Link"), required=False, assume_scheme="https", max_length=200
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "file" in cleaned and "url" in cleaned:
            if cleaned["file"] and cleaned["url"]:
                self.add_error(
                    "url",
                    _("Bitte geben Sie entweder einen Link oder eine Datei an, nicht beides."),
                )
            elif not cleaned["file"] and not cleaned["url"]:
                self.add_error(
                    "file", _("Bitte laden Sie eine Datei hoch oder geben Sie einen Link an.")
                )
        return cleaned


class PollForm(forms.Form):
    """A poll or participatory budget and its settings."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(label=_("Art"), choices=PollKind.choices, widget=forms.RadioSelect)
    opens_at = forms.DateTimeField(label=_("Beginn"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Ende"), widget=DATETIME)
    budget_cents = EuroField(
        label=_("Budget"),
        required=False,
        help_text=_("Nur für einen Bürgerhaushalt. In Euro, zum Beispiel 50.000."),
    )
    points = forms.IntegerField(
        label=_("Punkte je Person"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Nur beim Punkte-Verteilen."),
    )
    max_choices = forms.IntegerField(
        label=_("Höchstens so viele Optionen"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Zustimmung: so viele Kreuze; Rangfolge: so viele Plätze."),
    )
    results_visibility = forms.ChoiceField(
        label=_("Ergebnisse"), choices=ResultsVisibility.choices, widget=forms.RadioSelect
    )
    binding = forms.BooleanField(label=_("verbindlich (nur mit Verifizierung)"), required=False)
    neighbourhood = forms.ModelChoiceField(
        label=_("Nur für das Quartier"),
        queryset=None,
        required=False,
        empty_label=_("alle in der Kommune"),
    )
    min_age = forms.IntegerField(
        label=_("Mindestalter"), required=False, min_value=0, max_value=120
    )

    def __init__(
        self, *args: Any, municipality: Municipality, poll: Poll | None = None, **kwargs: Any
    ) -> None:
        if poll is not None:
            kwargs.setdefault("initial", {name: getattr(poll, name) for name in POLL_FIELDS})
        else:
            kwargs.setdefault("initial", {"results_visibility": ResultsVisibility.AFTER_CLOSE})
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)


POLL_FIELDS = (
    "title",
    "description",
    "kind",
    "opens_at",
    "closes_at",
    "budget_cents",
    "points",
    "max_choices",
    "results_visibility",
    "binding",
    "neighbourhood",
    "min_age",
)


class OptionForm(forms.Form):
    title = forms.CharField(label=_("Titel der Option"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung der Option"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cost_cents = EuroField(
        label=_("Kosten"),
        required=False,
        help_text=_("Im Bürgerhaushalt nötig. In Euro, zum Beispiel 12.500,50."),
    )

    def __init__(self, *args: Any, option: PollOption | None = None, **kwargs: Any) -> None:
        if option is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": option.title,
                    "description": option.description,
                    "cost_cents": option.cost_cents,
                },
            )
        super().__init__(*args, **kwargs)


class AdvanceForm(forms.Form):
    note = forms.CharField(
        label=_("Öffentliche Notiz zum Phasenwechsel"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_(
            "Steht auf der Seite des Vorhabens; wer ihm folgt, wird benachrichtigt. Was ist "
            "erreicht, was geschieht jetzt?"
        ),
    )

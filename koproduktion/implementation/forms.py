from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import (
    HoneypotFormMixin,
    InRangeModelMultipleChoiceField,
    ReadabilityFormMixin,
)
from koproduktion.core.models import Organisation
from koproduktion.core.selectors import department_list, organisation_list
from koproduktion.core.uploads import UploadFormField
from koproduktion.ideas.models import Idea

from .models import Milestone, Task, Update
from .selectors import people_named

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TaskForm(forms.ModelForm):
    latitude = forms.FloatField(
        label=_("Breitengrad"),
        required=False,
        min_value=-90,
        max_value=90,
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
        model = Task
        fields = (
            "title",
            "description",
            "milestone",
            "address",
            "latitude",
            "longitude",
            "date",
            "capacity",
            "skills",
            "contact_name",
            "contact_email",
            "contact_phone",
            "is_published",
        )
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "date": _("Für eine Aufgabe an einem Tag. Bei Schichten leer lassen."),
            "is_published": _("Erst veröffentlichte Aufgaben sehen alle und können zusagen."),
        }

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        self.fields["milestone"].empty_label = _("– keinem Meilenstein zugeordnet –")


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DATETIME)
    capacity = forms.IntegerField(
        label=_("Plätze"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Leer: so viele wie bei der Aufgabe."),
    )


ShiftFormSet = forms.formset_factory(ShiftForm, extra=3, max_num=20)


def pick_person(name: str, found: list[Any]) -> Any | None:
    """The one person ``name`` means among ``found`` (people of that name, ignoring case).

    The exact spelling decides between several; None when nobody or no single one fits.
    """
    if len(found) == 1:
        return found[0]
    exact = [person for person in found if person.public_name == name]
    return exact[0] if len(exact) == 1 else None


def _quoted(names: list[str]) -> str:
    return ", ".join(gettext("„%(name)s“") % {"name": name} for name in names)


class MilestoneForm(forms.ModelForm):
    # Public names, one per line; ``clean`` turns them into the people (``group_members``).
    group_members = forms.CharField(
        label=_("Mitglieder der Gruppe"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Nur bei einer verantwortlichen Gruppe: die öffentlichen Namen der Mitglieder, "
            "einer je Zeile. Mitglieder dürfen Fortschrittsberichte schreiben."
        ),
    )

    class Meta:
        model = Milestone
        fields = (
            "title",
            "description",
            "target_date",
            "status",
            "delay_reason",
            "percent_complete",
            "weight",
            "responsible_department",
            "responsible_organisation",
            "responsible_group",
            "group_members",
            "ideas",
        )
        field_classes = {"ideas": InRangeModelMultipleChoiceField}
        widgets = {
            "target_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "delay_reason": forms.Textarea(attrs={"rows": 2}),
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }
        help_texts = {
            "delay_reason": _("Pflicht bei „verzögert“; wird öffentlich gezeigt."),
            "responsible_group": _(
                "Nur eine Verantwortliche: Fachbereich, Organisation oder Gruppe."
            ),
            "ideas": _("Die Ideen aus dem Dialog, die dieser Meilenstein umsetzt."),
        }

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = project.municipality
        self.fields["responsible_department"].queryset = department_list(municipality=town)
        self.fields["responsible_organisation"].queryset = organisation_list(municipality=town)
        self.fields["ideas"].queryset = Idea.objects.filter(
            project=project, hidden_at__isnull=True
        ).order_by("title")
        self.fields["percent_complete"].max_value = 100
        self.municipality = town
        # ``model_to_dict`` already read the members (as people); show their names instead.
        members = self.initial.get("group_members") or []
        self.initial["group_members"] = "\n".join(
            sorted((person.public_name for person in members), key=str.casefold)
        )

    def clean_group_members(self) -> list[str]:
        lines = self.cleaned_data["group_members"].splitlines()
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        names = cleaned.get("group_members")
        if not names or "responsible_group" not in cleaned:
            return cleaned
        if not cleaned["responsible_group"].strip():
            self.add_error(
                "group_members", _("Mitglieder gibt es nur bei einer verantwortlichen Gruppe.")
            )
            return cleaned
        members, unknown, unclear, blocked = [], [], [], []
        for name, found in people_named(municipality=self.municipality, names=names).items():
            person = pick_person(name, found)
            if person is None:
                (unclear if found else unknown).append(name)
            elif person.is_blocked:
                blocked.append(name)
            elif person not in members:
                members.append(person)
        problems = []
        town = self.municipality.name
        if unknown:
            problems.append(
                gettext("Unter diesen Namen ist in %(town)s niemand angemeldet: %(names)s.")
                % {"town": town, "names": _quoted(unknown)}
            )
        if unclear:
            problems.append(
                gettext(
                    "Diese Namen passen auf mehrere Personen; bitte schreiben Sie sie genau so "
                    "wie auf der Plattform: %(names)s."
                )
                % {"names": _quoted(unclear)}
            )
        if blocked:
            problems.append(
                gettext("Diese Personen sind in %(town)s gesperrt: %(names)s.")
                % {"town": town, "names": _quoted(blocked)}
            )
        if problems:
            self.add_error("group_members", " ".join(problems))
        else:
            cleaned["group_members"] = members
        return cleaned

    def _post_clean(self) -> None:
        # The service validates the milestone as a whole (reason, one responsible, own ideas).
        pass


class CommitForm(HoneypotFormMixin, forms.Form):
    shift = forms.TypedChoiceField(
        label=_("Schicht"), coerce=int, widget=forms.RadioSelect, required=False
    )
    share_contact = forms.BooleanField(
        label=_("Die Ansprechperson darf mich über meine E-Mail-Adresse erreichen."),
        required=False,
    )
    phone = forms.CharField(
        label=_("Telefon (für kurzfristige Absprachen)"),
        max_length=50,
        required=False,
        help_text=_("Nur sichtbar, wenn Sie der Kontaktaufnahme zustimmen."),
    )

    organisation = forms.ModelChoiceField(
        label=_("Zusagen als"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Für eine Organisation, die Sie vertreten: sie steht dann öffentlich dabei."),
    )
    people = forms.IntegerField(
        label=_("Wie viele Personen kommen?"),
        min_value=1,
        max_value=1000,
        initial=1,
        help_text=_("Für sich selbst: 1. Für eine Organisation: so viele, wie sie schickt."),
    )

    def __init__(
        self, *args: Any, shifts: list[Any], organisations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if shifts:
            self.fields["shift"].required = True
            self.fields["shift"].choices = [(shift.pk, shift_label(shift)) for shift in shifts]
        else:
            del self.fields["shift"]
        # Representatives choose whom they commit; everyone else commits themselves.
        if organisations is not None and organisations.exists():
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("mich selbst")
        else:
            del self.fields["organisation"]
            del self.fields["people"]


def shift_label(shift: Any) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return _("%(day)s, %(start)s–%(end)s Uhr (%(free)d von %(capacity)d Plätzen frei)") % {
        "day": date_format(start, "l, j. F Y"),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "free": shift.free,
        "capacity": shift.capacity,
    }


class DoneForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Wie viele Stunden?"),
        required=False,
        min_value=0.5,
        max_value=24,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )


class TaskDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Nachricht an alle, die zugesagt haben"),
        required=False,
        max_length=200,
    )


class UpdateForm(ReadabilityFormMixin, forms.ModelForm):
    class Meta:
        model = Update
        fields = ("text", "milestone", "posted_as")
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        self.fields["milestone"].empty_label = _("– das ganze Vorhaben –")
        self.enable_readability("text", minimum=project.municipality.min_readability)
        self.fields["posted_as"].help_text = _(
            "Zum Beispiel „Fachbereich Soziales“ oder Ihr Verein."
        )
        for number in (1, 2, 3):
            self.fields[f"photo_{number}"] = UploadFormField(
                label=_("Foto %(number)d") % {"number": number},
                required=False,
                allowed="photos",
                help_text=_("JPEG, PNG oder WebP, höchstens 8 MB.") if number == 1 else "",
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("Was zeigt Foto %(number)d?") % {"number": number},
                required=False,
                max_length=200,
            )

    def photos(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        return [
            (data[f"photo_{n}"], data.get(f"alt_{n}", ""))
            for n in (1, 2, 3)
            if data.get(f"photo_{n}")
        ]

    def _post_clean(self) -> None:
        pass

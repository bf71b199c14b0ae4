from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.formats import euros
from koproduktion.core.forms import (
    HoneypotFormMixin,
    InRangeModelMultipleChoiceField,
    ReadabilityFormMixin,
)
from koproduktion.core.selectors import neighbourhood_list
from koproduktion.core.uploads import UploadFormField
from koproduktion.ideas.models import Idea
from koproduktion.projects.selectors import managed_projects

from .models import Body, Decision, Outcome, Poll, PollKind


class BallotForm(forms.Form):
    """The ballot of one poll; its fields depend on the poll's kind."""

    def __init__(self, *args: Any, poll: Poll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = list(poll.options.all())
        if poll.kind in (PollKind.APPROVAL, PollKind.BUDGET):
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                label=_("Ihre Auswahl"),
                coerce=int,
                choices=[(o.pk, self._label(o)) for o in self.options],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Bitte wählen Sie mindestens eine Option.")},
            )
        else:
            top = len(self.options) if poll.kind == PollKind.RANKING else (poll.points or 0)
            for option in self.options:
                if poll.kind == PollKind.RANKING:
                    choices = [("", _("– kein Platz –"))] + [
                        (n, _("Platz %(n)d") % {"n": n}) for n in range(1, top + 1)
                    ]
                else:
                    choices = [(n, str(n)) for n in range(top + 1)]
                self.fields[f"option_{option.pk}"] = forms.TypedChoiceField(
                    label=option.title,
                    choices=choices,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    initial=None if poll.kind == PollKind.RANKING else 0,
                )

    def _label(self, option: Any) -> str:
        if self.poll.kind == PollKind.BUDGET and option.cost_cents is not None:
            return f"{option.title} ({euros(option.cost_cents)})"
        return option.title

    def choices(self) -> dict[int, int]:
        data = self.cleaned_data
        if "choices" in self.fields:
            return dict.fromkeys(data.get("choices", []), 1)
        found = {}
        for option in self.options:
            value = data.get(f"option_{option.pk}")
            if value:
                found[option.pk] = value
        return found


class DecisionForm(ReadabilityFormMixin, HoneypotFormMixin, forms.Form):
    title = forms.CharField(label=_("Gegenstand"), max_length=200)
    project = forms.ModelChoiceField(
        label=_("Vorhaben"),
        queryset=None,
        required=False,
        empty_label=_("– kein bestimmtes Vorhaben –"),
    )
    body = forms.ChoiceField(label=_("Gremium"), choices=Body.choices)
    body_name = forms.CharField(label=_("Name des Gremiums"), max_length=200, required=False)
    decided_on = forms.DateField(
        label=_("Datum der Entscheidung"),
        # A date input takes ISO dates only; the localised "03.12.2026" would show it empty
        # when the form is filled in beforehand (editing a decision, the council's agenda).
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=Outcome.choices)
    reasons = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Öffentlich. Markdown ist erlaubt."),
    )
    plain_summary = Decision._meta.get_field("plain_summary").formfield(
        widget=forms.Textarea(attrs={"rows": 4})
    )
    ideas = InRangeModelMultipleChoiceField(
        label=_("Betroffene Ideen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ihr Status folgt dem Ergebnis; alle Beteiligten werden benachrichtigt."),
    )
    polls = InRangeModelMultipleChoiceField(
        label=_("Zugehörige Abstimmungen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = UploadFormField(
        label=_("Protokoll (PDF)"),
        required=False,
        allowed="pdf",
        help_text=_("Höchstens 20 MB."),
    )
    minutes_url = forms.URLField(
        label=_("Link zum Protokoll"), required=False, assume_scheme="https"
    )

    def __init__(
        self,
        *args: Any,
        municipality: Any,
        user: Any,
        project: Any = None,
        editing: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # Only the projects this person may record decisions for.
        self.fields["project"].queryset = managed_projects(municipality=municipality, user=user)
        chosen = self.data.get("project") if self.is_bound else None
        if chosen and str(chosen).isdigit():
            project = self.fields["project"].queryset.filter(pk=chosen).first() or project
        # Ideas and polls to link come from the decision's project: a town has too many to list.
        ideas = (
            Idea.objects.filter(project=project, hidden_at__isnull=True)
            if project
            else Idea.objects.none()
        )
        self.fields["ideas"].queryset = ideas.order_by("-support_count", "title")
        self.fields["polls"].queryset = (
            Poll.objects.filter(project=project) if project else Poll.objects.none()
        )
        if project is None:
            self.fields["ideas"].help_text = _(
                "Öffnen Sie dieses Formular vom Vorhaben aus, um seine Ideen zu verknüpfen."
            )
        if editing:
            self.fields["change_note"] = forms.CharField(
                label=_("Was haben Sie geändert?"),
                max_length=300,
                help_text=_("Steht öffentlich in der Versionsgeschichte."),
            )
        self.enable_readability("reasons", "plain_summary", minimum=municipality.min_readability)


class VerifyPersonForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der Person"))
    neighbourhood = forms.ModelChoiceField(
        label=_("Wohnt im Quartier"), queryset=None, required=False
    )
    birth_date = forms.DateField(
        label=_("Geburtsdatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)


class CodeBatchForm(forms.Form):
    count = forms.IntegerField(label=_("Anzahl der Codes"), min_value=1, max_value=5000)
    neighbourhood = forms.ModelChoiceField(
        label=_("Für das Quartier"),
        queryset=None,
        required=False,
        help_text=_("Die Codes verifizieren als Bewohner*in dieses Quartiers."),
    )
    note = forms.CharField(
        label=_("Notiz"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Briefe an die Haushalte der Nordstadt, März 2027“."),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)


class RedeemCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code aus Ihrem Brief"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class CostForm(forms.Form):
    cost_euros = forms.DecimalField(
        label=_("Geschätzte Kosten (Euro)"), min_value=0, max_digits=12, decimal_places=2
    )

"""Forms of the evaluation. Field names follow the services' arguments, so that a refusal of a
field lands next to it (``core.forms.form_errors_from``); an answer's fields are named
``question_<id>`` as ``services.survey_answer`` names them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.money import EuroField

from .models import (
    RATING_MAX,
    RATING_MIN,
    TEXT_ANSWER_MAX,
    EvaluationReport,
    Question,
    QuestionAnswer,
    QuestionKind,
)
from .selectors import Prefill, rating_label
from .services import REPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EURO_HELP = _("In Euro, zum Beispiel 12.500,50.")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art der Frage"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Frage"), max_length=300)
    low_label = forms.CharField(
        label=_("Bedeutung von 1"),
        max_length=60,
        required=False,
        help_text=_("Nur bei einer Bewertung, zum Beispiel „gar nicht zufrieden“."),
    )
    high_label = forms.CharField(
        label=_("Bedeutung von 5"),
        max_length=60,
        required=False,
        help_text=_("Nur bei einer Bewertung, zum Beispiel „sehr zufrieden“."),
    )

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(question, name) for name in ("text", "low_label", "high_label")},
            )
        super().__init__(*args, **kwargs)
        if question is not None:
            # The kind stays: answers already given mean what they meant.
            del self.fields["kind"]


class OpenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Letzter Tag der Umfrage"),
        required=False,
        widget=DATE,
        help_text=_("Leer lassen: offen, solange das Vorhaben in der Auswertung ist."),
    )


def _rating_choices(question: Question) -> list[tuple[str, str]]:
    return [
        (str(value), rating_label(question, value)) for value in range(RATING_MIN, RATING_MAX + 1)
    ]


class AnswerForm(forms.Form):
    """One field per question, none required: a person answers what they want to."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        given: dict[int, QuestionAnswer] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        given = given or {}
        for question in questions:
            name = f"question_{question.pk}"
            before = given.get(question.pk)
            if question.kind == QuestionKind.RATING:
                field: forms.Field = forms.ChoiceField(
                    choices=_rating_choices(question), widget=forms.RadioSelect
                )
                initial = str(before.rating) if before and before.rating else None
            elif question.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(
                    choices=[("ja", _("Ja")), ("nein", _("Nein"))], widget=forms.RadioSelect
                )
                initial = (
                    None
                    if before is None or before.yes is None
                    else ("ja" if before.yes else "nein")
                )
            else:
                field = forms.CharField(
                    max_length=TEXT_ANSWER_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_(
                        "Freiwillig. Nur die Verwaltung liest die Texte, ohne Ihren Namen."
                    ),
                )
                initial = before.text if before else ""
            field.label = question.text
            field.required = False
            field.initial = initial
            self.fields[name] = field

    def values(self) -> dict[int, Any]:
        return {
            int(name.removeprefix("question_")): value for name, value in self.cleaned_data.items()
        }


class ReportForm(forms.Form):
    planned = forms.CharField(
        label=_("Was geplant war"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown ist erlaubt."),
    )
    outcome = forms.CharField(
        label=_("Was daraus wurde"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown ist erlaubt."),
    )
    cost_estimate_cents = EuroField(
        label=_("Kosten geschätzt"), required=False, help_text=EURO_HELP
    )
    cost_actual_cents = EuroField(
        label=_("Kosten tatsächlich"), required=False, help_text=EURO_HELP
    )
    planned_start = forms.DateField(label=_("Beginn geplant"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Ende geplant"), required=False, widget=DATE)
    kept_start = forms.DateField(label=_("Beginn tatsächlich"), required=False, widget=DATE)
    kept_end = forms.DateField(label=_("Ende tatsächlich"), required=False, widget=DATE)
    lessons = forms.CharField(
        label=_("Was wir gelernt haben"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown ist erlaubt. Was gut lief und was nicht."),
    )
    contact = forms.CharField(label=_("Ansprechperson"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        report: EvaluationReport | None = None,
        prefill: Prefill | None = None,
        **kwargs: Any,
    ) -> None:
        if report is not None:
            kwargs.setdefault("initial", {name: getattr(report, name) for name in REPORT_FIELDS})
        elif prefill is not None:
            kwargs.setdefault("initial", vars(prefill))
        super().__init__(*args, **kwargs)

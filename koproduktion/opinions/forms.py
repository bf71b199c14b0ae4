from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_MAX_LENGTH, StatementVote
from .upload import check_upload

# The buttons of the voting form send one of these words; the API accepts the same.
VOTE_VALUES = {
    "agree": StatementVote.Value.AGREE,
    "disagree": StatementVote.Value.DISAGREE,
    "pass": StatementVote.Value.PASS,
}


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    vote = forms.ChoiceField(choices=[(key, key) for key in VOTE_VALUES])

    def value(self) -> int:
        return VOTE_VALUES[self.cleaned_data["vote"]]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Ihre These"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eine kurze Aussage, der man zustimmen oder widersprechen kann (höchstens 300 Zeichen)."
        ),
    )


class SeedForm(StatementForm):
    is_meta = forms.BooleanField(
        label=_("Meta-These (über den Prozess, zählt nicht für die Gruppen)"), required=False
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    reason = forms.CharField(
        label=_("Begründung (bei Ablehnung nötig)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_meta = forms.BooleanField(label=_("Meta-These"), required=False)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; ``clean`` returns the list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class PolisImportForm(forms.Form):
    dateien = MultipleFileField(
        label=_("Polis-Export"),
        widget=MultipleFileInput(attrs={"accept": ".csv,.zip,text/csv,application/zip"}),
        help_text=_(
            "Die CSV-Dateien des Exports (comments.csv und votes.csv oder "
            "participants-votes.csv, gern auch summary.csv) oder ein ZIP-Archiv mit ihnen; "
            "zusammen höchstens %(size)s."
        )
        % {"size": "50 MB"},
    )

    def clean_dateien(self) -> list[UploadedFile]:
        files = self.cleaned_data["dateien"]
        problems = check_upload(files)
        if problems:
            raise ValidationError(problems)
        return files

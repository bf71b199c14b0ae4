from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_MAX_LENGTH, StatementVote

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

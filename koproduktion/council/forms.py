from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality
from koproduktion.decisions.forms import DecisionForm
from koproduktion.projects.models import Project

# What an agenda item fixes: the body is the council; the project, idea or poll is the item's.
FIXED_BY_THE_ITEM = ("project", "body", "ideas", "polls")


class CouncilDecisionForm(DecisionForm):
    """The decision form without what the agenda item fixes."""

    def __init__(
        self, *args: Any, municipality: Municipality, user: User, project: Project, **kwargs: Any
    ) -> None:
        super().__init__(*args, municipality=municipality, user=user, project=project, **kwargs)
        for name in FIXED_BY_THE_ITEM:
            del self.fields[name]
        self.fields["body_name"].help_text = _(
            "Zum Beispiel „Rat der Stadt“ oder „Gemeinderat“; leer: Rat."
        )


class CouncilRecordingForm(forms.Form):
    council_records_decisions = forms.BooleanField(
        label=_("Die Schriftführung des Rats trägt die Beschlüsse des Rats selbst ein"),
        required=False,
    )

"""Forms of a town's roles page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import InRangeModelMultipleChoiceField
from koproduktion.core.models import Municipality
from koproduktion.core.selectors import department_list
from koproduktion.core.services import GRANTABLE_ROLES


class DepartmentsField(InRangeModelMultipleChoiceField):
    """The town's departments as boxes to tick; another town's (a changed form) is refused."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Fachbereiche"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Diesen Fachbereich gibt es in dieser Kommune nicht.")},
        )
        super().__init__(queryset=None, **kwargs)


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in GRANTABLE_ROLES]


class RoleChoiceForm(forms.Form):
    """An address, roles and (for staff) departments: to grant them to an account, or to send
    an invitation (the page's two buttons)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Rolle.")},
    )
    departments = DepartmentsField(
        help_text=_("Nur für die Rolle „Verwaltung“: deren Posteingänge und Vorhaben."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = department_list(municipality=municipality)


class DepartmentsForm(forms.Form):
    departments = DepartmentsField(
        help_text=_("Die Posteingänge dieser Fachbereiche sieht die Person."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = department_list(municipality=municipality)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steht im Protokoll der Verwaltung."),
        error_messages={"required": _("Bitte begründen Sie, warum die Rolle endet.")},
    )


class TwoFactorRequirementForm(forms.Form):
    required = forms.BooleanField(
        label=_("Zwei-Faktor-Anmeldung verlangen"),
        required=False,
        help_text=_(
            "Verwaltung, Koordination, Moderation und Admins handeln hier erst, wenn sie sich mit "
            "einem Code aus einer App anmelden. Wer es noch nicht eingerichtet hat, wird dazu "
            "geführt."
        ),
    )

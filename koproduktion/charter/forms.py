from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin

from .models import LARGEST, UNITS, WEEKS, PromiseKind


class PromiseForm(HoneypotFormMixin, forms.Form):
    """One promise of the charter: given or not, its number where it has one, a note.

    The four promises are four forms on one page, told apart by their prefix (the kind).
    """

    given = forms.BooleanField(label=_("Dieses Versprechen geben wir"), required=False)
    note = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Erscheint öffentlich unter dem Versprechen."),
    )

    def __init__(self, *args: Any, kind: PromiseKind, **kwargs: Any) -> None:
        super().__init__(*args, prefix=kind.value, **kwargs)
        self.kind = kind
        unit = UNITS.get(kind)
        if unit is None:  # the reasons: nothing to count in
            return
        largest = LARGEST[unit]
        self.fields["number"] = forms.IntegerField(
            label=_("Frist in Wochen") if unit == WEEKS else _("Frist in Tagen"),
            required=False,
            min_value=1,
            max_value=largest,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        self.order_fields(["given", "number", "note"])

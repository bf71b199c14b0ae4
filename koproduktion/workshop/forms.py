"""The workshop screen's forms: short, one task each, for a tablet."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koproduktion.events.forms import OnSiteIdeaForm

from .selectors import Place


class IdeaForm(OnSiteIdeaForm):
    """The events' on-site idea, the person named by initials if at all."""

    contributor_name = forms.CharField(
        label=_("Name oder Initialen"),
        max_length=80,
        required=False,
        help_text=_("Steht unter der Idee. Leer lassen für „anonym“. Keine E-Mail nötig."),
    )


def _label(place: Place) -> str:
    when = ""
    if place.shift is not None:
        when = date_format(place.shift.starts_at, "SHORT_DATETIME_FORMAT")
    elif place.task.date is not None:
        when = date_format(place.task.date, "SHORT_DATE_FORMAT")
    free = ngettext("%(n)d Platz frei", "%(n)d Plätze frei", place.free) % {"n": place.free}
    return " – ".join(part for part in (place.task.title, when, free) if part)


class SignupForm(forms.Form):
    shift = forms.ChoiceField(label=_("Wobei hilft die Person mit?"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=80)
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-Mail"),
        required=False,
        help_text=_("Nur die, die das Vorhaben verwalten, sehen Name und Kontakt."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: object, places: list[Place], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.places = {place.key: place for place in places}
        self.fields["shift"].choices = [(place.key, _label(place)) for place in places]
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def chosen(self) -> Place:
        return self.places[self.cleaned_data["shift"]]

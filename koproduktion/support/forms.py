from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import FilterForm, InRangeModelMultipleChoiceField
from koproduktion.core.money import EuroField
from koproduktion.core.rules import staff_departments
from koproduktion.core.selectors import (
    department_list,
    neighbourhood_list,
    organisation_list,
    topic_list,
)
from koproduktion.projects.rules import manages_all_projects

from .models import NOTE_MAX, BuildingBlock, OfferState, SupportOffer
from .services import OFFER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupportOfferForm(forms.ModelForm):
    """Staff set up or change an offer; the service checks the offer as a whole."""

    contact_url = forms.URLField(
        label=_("Webseite"),
        required=False,
        max_length=500,
        assume_scheme="https",  # a web address typed without one
    )

    amount_min_cents = EuroField(
        label=_("Fördersumme ab (Euro)"),
        required=False,
        help_text=_("Nur bei Förderung. Leer lassen, wenn es keinen Mindestbetrag gibt."),
    )
    amount_max_cents = EuroField(
        label=_("Fördersumme bis (Euro)"),
        required=False,
        help_text=_("Nur bei Förderung. Nur dieses Feld ausgefüllt: „bis zu …“."),
    )
    neighbourhoods = InRangeModelMultipleChoiceField(
        label=_("Quartiere"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keins gewählt: gilt für die ganze Kommune."),
    )
    topics = InRangeModelMultipleChoiceField(
        label=_("Themen"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SupportOffer
        fields = (*OFFER_FIELDS, "neighbourhoods", "topics")
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 8}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, municipality: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = department_list(municipality=municipality)
        if not manages_all_projects.test(user, municipality):
            departments = departments.filter(pk__in=list(staff_departments(user)))
        self.fields["department"].queryset = departments
        self.fields["organisation"].queryset = organisation_list(municipality=municipality)
        self.fields["neighbourhoods"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["topics"].queryset = topic_list(municipality=municipality)
        states = [(OfferState.DRAFT, _("Entwurf")), (OfferState.PUBLISHED, _("veröffentlicht"))]
        if self.instance.pk and self.instance.is_archived:
            states.append((OfferState.ARCHIVED, _("archiviert")))
        self.fields["state"].choices = states
        self.fields["state"].help_text = _("Erst veröffentlichte Angebote stehen im Katalog.")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in OFFER_FIELDS}

    def _post_clean(self) -> None:
        # The service validates the offer as a whole and names the field of each problem.
        pass


class SupportFilterForm(FilterForm):
    """Filters of the catalogue, by key and slug (readable URLs); unknown values are named."""

    baustein = forms.ChoiceField(
        label=_("Baustein"),
        required=False,
        choices=[("", _("alle Bausteine")), *BuildingBlock.choices],
    )
    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Quartiere"),
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Themen"),
    )
    offen = forms.BooleanField(label=_("nur offene Fristen"), required=False)

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["thema"].queryset = topic_list(municipality=municipality)


class OfferChoiceField(forms.ModelChoiceField):
    """An offer by its number; a number beyond the database's integers is an invalid choice
    (SQLite cannot even look it up)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) > 18:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj: SupportOffer) -> str:
        if obj.deadline is None:
            when = gettext("laufend")
        elif obj.is_expired:
            when = gettext("Frist abgelaufen")
        else:
            when = gettext("Frist: %(date)s") % {"date": date_format(obj.deadline, "DATE_FORMAT")}
        return f"{obj.title} ({obj.get_building_block_display()}, {when})"


class LinkForm(forms.Form):
    offer = OfferChoiceField(
        label=_("Angebot"),
        queryset=None,
        empty_label=_("– bitte wählen –"),
        help_text=_("Angebote, deren Frist abgelaufen ist, lassen sich nicht mehr verknüpfen."),
    )
    note = forms.CharField(
        label=_("Notiz"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wofür das Angebot passt, z. B. „Antrag für die Werkzeuge gestellt“."),
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers

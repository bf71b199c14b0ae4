from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin, TopicAndPlaceFilterForm
from koproduktion.core.models import Place
from koproduktion.core.selectors import neighbourhood_list, place_list, topic_list

from .models import SETTABLE_STATUSES, TEXT_MAX, TITLE_MAX, Idea, IdeaStatus, Source
from .selectors import IdeaFilters


class IdeaForm(HoneypotFormMixin, forms.ModelForm):
    """Post or edit an idea. Staff recording on behalf get the source and name fields too.

    The place is chosen from the town's gazetteer (``place``, offered from a search by name,
    ``place_search``), by clicking the map (with JavaScript), or typed as coordinates. A chosen
    place gives the idea its name as "Ort oder Adresse", its point unless coordinates were typed
    or clicked (they are the more exact), and its neighbourhood unless one was chosen.
    """

    # Rendered in the form's place section (ideas/idea_form.html), not in the list of fields.
    placed_apart = ("address", "place_search", "place", "latitude", "longitude")

    place_search = forms.CharField(
        label=_("Straße, Platz oder Ort suchen"),
        required=False,
        max_length=100,
        help_text=_("Zum Beispiel „Lindenstraße“ oder „Marktplatz“."),
    )
    place = forms.ModelChoiceField(
        label=_("Ort aus dem Verzeichnis der Kommune"),
        queryset=Place.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label=_("keiner davon"),
    )
    latitude = forms.FloatField(
        label=_("Breitengrad"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Zum Beispiel 52.1234. Geht der Ort genauer, als das Verzeichnis ihn kennt."),
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
        model = Idea
        fields = ("title", "text", "topic", "neighbourhood", "address", "latitude", "longitude")
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": TITLE_MAX}),
            "text": forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX}),
        }

    def __init__(
        self,
        *args: Any,
        project: Any,
        on_behalf: bool = False,
        similar_url: str = "",
        places: list[Place] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if similar_url:
            # With JavaScript, ideas like the draft appear as it is typed (ideas/idea_form.html).
            for name in ("title", "text"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": similar_url,
                        "hx-trigger": "keyup changed delay:500ms",
                        "hx-target": "#aehnliche-ideen-liste",
                        "hx-include": "[name='title'], [name='text']",
                    }
                )
        municipality = project.municipality
        self.fields["place"].queryset = place_list(municipality=municipality)
        self.show_places(places or [])
        self.fields["topic"].queryset = topic_list(municipality=municipality)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["topic"].empty_label = _("– kein bestimmtes Thema –")
        self.fields["neighbourhood"].empty_label = _("– kein bestimmtes Quartier –")
        self.fields["address"].help_text = _("Zum Beispiel: „Ecke Hafenallee / Lindenstraße“.")
        if on_behalf:
            self.fields["source"] = forms.ChoiceField(
                label=_("Herkunft"),
                choices=Source.choices,
                initial=Source.ONLINE,
                help_text=_(
                    "„online“ für Ihre eigene Idee. Für Beiträge von Papier, Telefon oder "
                    "Veranstaltungen die Herkunft wählen: sie erscheinen dann ohne Konto."
                ),
            )
            self.fields["contributor_name"] = forms.CharField(
                label=_("Name der Person"),
                max_length=80,
                required=False,
                help_text=_("Nur mit ihrem Einverständnis; leer lassen für „anonym“."),
            )

    def show_places(self, places: list[Place]) -> None:
        """Offer ``places`` (a search's matches) to choose from, with the one chosen before.

        The field accepts any place of the town; only these are shown, not the whole gazetteer.
        """
        chosen = self["place"].value()
        shown = list(places)
        if chosen and str(chosen).isdigit() and all(str(p.pk) != str(chosen) for p in shown):
            shown += list(self.fields["place"].queryset.filter(pk=chosen))
        self.places_shown = shown
        self.fields["place"].choices = [
            ("", self.fields["place"].empty_label),
            *((place.pk, place_label(place)) for place in shown),
        ]

    def _post_clean(self) -> None:
        # The model's field rules (lengths, no HTML) show at their fields; the service validates
        # the whole idea with its project and place when the form is fine.
        for name in ("title", "text"):
            if name in self.cleaned_data:
                try:
                    Idea._meta.get_field(name).run_validators(self.cleaned_data[name])
                except ValidationError as error:
                    self.add_error(name, error)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_lat = cleaned.get("latitude") is not None
        has_lon = cleaned.get("longitude") is not None
        if has_lat != has_lon:
            self.add_error(
                "longitude" if has_lat else "latitude",
                _("Bitte geben Sie Breiten- und Längengrad an – oder keinen von beiden."),
            )
        place = cleaned.get("place")
        if place is not None:
            cleaned["address"] = place.name
            if not has_lat and not has_lon:
                cleaned["latitude"], cleaned["longitude"] = place.latitude, place.longitude
            if cleaned.get("neighbourhood") is None:
                cleaned["neighbourhood"] = place.neighbourhood
        return cleaned


def place_label(place: Place) -> str:
    """How a place is offered: "Lindenstraße (Straße, Nordstadt)"."""
    details = [str(place.get_kind_display())]
    if place.neighbourhood:
        details.append(place.neighbourhood.name)
    return f"{place.name} ({', '.join(details)})"


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Neuer Status"), choices=SETTABLE_STATUSES)
    reason = forms.CharField(
        label=_("Öffentliche Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pflicht bei „angenommen“, „abgelehnt“ und „beantwortet“."),
    )


class IdeaMergeForm(forms.Form):
    """Staff merge this idea, a duplicate, into the original it repeats."""

    prefix = "merge"  # beside the status form, whose reason field shares the name

    original = forms.CharField(
        label=_("Original: Nummer oder Adresse der Idee"),
        max_length=300,
        help_text=_(
            "Die Idee, die bleibt. Zum Beispiel „42“ oder die Adresse ihrer Seite. Ihre "
            "Unterstützungen und Abonnements gehen auf das Original über."
        ),
    )
    reason = forms.CharField(
        label=_("Öffentliche Begründung der Zusammenführung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
    )

    def clean_original(self) -> int:
        """The idea's number, from "42", "#42" or the address of its page."""
        text = self.cleaned_data["original"].strip()
        found = re.fullmatch(r"#?(\d{1,11})", text) or re.search(
            r"/ideen/(\d{1,11})/?(?:[?#].*)?$", text
        )
        if not found:
            raise ValidationError(
                _("Bitte geben Sie die Nummer der Idee an (z. B. 42) oder die Adresse ihrer Seite.")
            )
        return int(found.group(1))


class IdeaFilterForm(TopicAndPlaceFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *IdeaStatus.choices]
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[("neu", _("neueste zuerst")), ("unterstuetzt", _("meiste Unterstützung"))],
    )
    field_order = ("status", "topic", "neighbourhood", "sortierung")

    def filters(self) -> IdeaFilters:
        data = self.valid_data()
        return IdeaFilters(
            status=IdeaStatus(data["status"]) if data.get("status") else None,
            topic=data.get("topic"),
            neighbourhood=data.get("neighbourhood"),
            order=data.get("sortierung") or "neu",
        )

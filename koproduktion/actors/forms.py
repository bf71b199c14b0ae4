"""Forms of local actors; the services check what the town allows (a free name, its own
neighbourhoods and topics) and their refusals land next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import (
    HoneypotFormMixin,
    InRangeModelMultipleChoiceField,
    TopicAndPlaceFilterForm,
    model_formfield,
)
from koproduktion.core.models import Municipality, Organisation
from koproduktion.core.selectors import neighbourhood_list, topic_list

from .models import RepresentationRequest
from .services import PROFILE_FIELDS


class DirectoryFilterForm(TopicAndPlaceFilterForm):
    kind = forms.ChoiceField(
        label=_("Art"),
        required=False,
        choices=[("", _("alle Arten")), *Organisation.Kind.choices],
    )
    field_order = ("kind", "neighbourhood", "topic")


class ProfileForm(forms.Form):
    """What an organisation publishes about itself."""

    names: tuple[str, ...] = PROFILE_FIELDS

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Organisation, fields=self.names, formfield_callback=model_formfield
            )
        )
        self.fields["description"].widget.attrs["rows"] = 6
        self.fields["neighbourhoods"] = InRangeModelMultipleChoiceField(
            label=_("Quartiere, in denen Sie aktiv sind"),
            queryset=neighbourhood_list(municipality=municipality).order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["topics"] = InRangeModelMultipleChoiceField(
            label=_("Themen"),
            queryset=topic_list(municipality=municipality).order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["contact_email"].help_text = _("Nur ausfüllen, was öffentlich sein soll.")


class ProposalForm(HoneypotFormMixin, ProfileForm):
    """A new organisation: its name, its profile, and who the proposer is in it."""

    names = ("name", *PROFILE_FIELDS)
    honeypot_field_name = "homepage"  # "website" is the organisation's own

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _(
            "Der Name, unter dem man Ihre Organisation kennt. Ändern kann ihn später nur die "
            "Kommune."
        )
        self.fields["message"] = forms.fields_for_model(RepresentationRequest, fields=["message"])[
            "message"
        ]
        self.fields["message"].widget.attrs["rows"] = 3


class JoinForm(forms.Form):
    message = forms.fields_for_model(RepresentationRequest, fields=["message"])["message"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

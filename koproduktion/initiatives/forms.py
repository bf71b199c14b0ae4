from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import FilterForm, HoneypotFormMixin
from koproduktion.core.models import Membership, Municipality, Organisation
from koproduktion.core.roles import Role
from koproduktion.core.selectors import department_list, neighbourhood_list, topic_list
from koproduktion.core.validators import no_html

from .models import CONTACT_MAX, MESSAGE_MAX, Initiative, Need, NeedKind, NeedOffer, State
from .services import TEXT_FIELDS


def _no_html(form: forms.BaseForm) -> None:
    """Tags refused at the field at once, beside the other mistakes of the same sending."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not getattr(field, "is_honeypot", False):
            field.validators.append(no_html)


def represented(*, user: Any, municipality: Municipality) -> Any:
    """The organisations ``user`` represents in the town."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        municipality=municipality,
        representatives__user=user,
        representatives__role=Role.ORGANISATION,
    ).order_by("name")


class InitiativeForm(HoneypotFormMixin, forms.ModelForm):
    """Start or edit an initiative on one screen; the service checks the rest."""

    class Meta:
        model = Initiative
        fields = (*TEXT_FIELDS, "organisation")
        widgets = {
            "why": forms.Textarea(attrs={"rows": 6}),
            "help_needed": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, municipality: Municipality, user: Any, starting: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["neighbourhood"].empty_label = _("– die ganze Kommune –")
        self.fields["topic"].queryset = topic_list(municipality=municipality)
        self.fields["topic"].empty_label = _("– kein bestimmtes Thema –")
        organisations = represented(user=user, municipality=municipality)
        if starting and organisations.exists():
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("– als Privatperson –")
        else:
            del self.fields["organisation"]
        _no_html(self)
        if starting:
            self.fields["publish"] = forms.BooleanField(
                label=_("Gleich veröffentlichen und Unterstützung sammeln"),
                required=False,
                initial=True,
                help_text=_("Ohne Haken bleibt es ein Entwurf, den nur Sie sehen."),
            )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}

    def _post_clean(self) -> None:
        # The service validates the initiative as a whole and names the field of each problem.
        pass


class InitiativeFilterForm(FilterForm):
    zustand = forms.ChoiceField(label=_("Stand"), required=False, choices=[("", _("alle"))])
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

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zustand"].choices = [
            ("", _("alle")),
            *[(state.value, state.label) for state in State if state != State.DRAFT],
        ]
        self.fields["quartier"].queryset = neighbourhood_list(municipality=municipality)
        self.fields["thema"].queryset = topic_list(municipality=municipality)


class NeedKindFilterForm(FilterForm):
    art = forms.ChoiceField(
        label=_("Was wird gesucht?"),
        required=False,
        choices=[("", _("alles")), *NeedKind.choices],
    )


class JoinForm(HoneypotFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Was möchten Sie beitragen? (freiwillig)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Initiator*innen lesen es und nehmen Sie auf."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum ziehen Sie die Initiative zurück? (freiwillig)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steht öffentlich in der Geschichte der Initiative."),
    )


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ("kind", "description", "quantity", "when")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].min_value = 1
        self.fields["quantity"].max_value = 100
        self.fields["quantity"].widget.attrs.update({"min": 1, "max": 100})
        _no_html(self)

    def _post_clean(self) -> None:
        pass


class OfferForm(HoneypotFormMixin, forms.ModelForm):
    class Meta:
        model = NeedOffer
        fields = ("message", "contact", "organisation")
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality: Municipality, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].max_length = CONTACT_MAX
        _no_html(self)
        organisations = represented(user=user, municipality=municipality)
        if organisations.exists():
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("– als Privatperson –")
        else:
            del self.fields["organisation"]

    def _post_clean(self) -> None:
        pass


class AcceptForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Partner-Fachbereich"), queryset=None)
    contact_person = forms.TypedChoiceField(
        label=_("Ansprechperson"),
        coerce=int,
        help_text=_("Wer im Fachbereich für die Initiative da ist; steht auf ihrer Seite."),
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        departments: Any,
        contacts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["contact_person"].choices = [("", "–"), *contacts]
        self.municipality = municipality

    def contact_user(self) -> Any:
        membership = (
            Membership.objects.filter(
                municipality=self.municipality,
                role=Role.STAFF,
                user_id=self.cleaned_data["contact_person"],
            )
            .select_related("user")
            .first()
        )
        return membership.user if membership else None


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum nicht? (öffentlich)"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Steht auf der Seite der Initiative und geht an alle, die sie unterstützen."),
    )


def partner_departments(*, municipality: Municipality, user: Any) -> Any:
    """The departments ``user`` may offer as partner: all of the town's for coordination and
    admins, one's own for staff."""
    from koproduktion.core.rules import staff_department_ids  # noqa: PLC0415
    from koproduktion.projects.rules import manages_all_projects  # noqa: PLC0415

    departments = department_list(municipality=municipality)
    if manages_all_projects.test(user, municipality):
        return departments
    return departments.filter(pk__in=staff_department_ids(user))

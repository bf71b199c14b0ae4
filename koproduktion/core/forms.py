"""Form pieces shared by the apps."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from .ratelimit import RateLimited
from .readability import analyse


def model_formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """``field``'s form field, as ``fields_for_model`` makes it, where a web address typed without
    its scheme gets ``https://`` (``formfield_callback``)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class HoneypotField(forms.CharField):
    """A text field people never see; ``templates/_form.html`` renders it hidden."""

    is_honeypot = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Bitte dieses Feld leer lassen"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        super().__init__(**kwargs)


class HoneypotFormMixin:
    """Adds a field that must stay empty: people never see it, form-filling bots fill it.

    Mix into a Form or ModelForm, before the form class: ``class IdeaForm(HoneypotFormMixin,
    forms.ModelForm)``.

    ``templates/_form.html`` renders the field off-screen in an ``aria-hidden`` wrapper with
    ``tabindex="-1"``, so neither eyes, keyboards nor screen readers reach it. A filled field fails
    validation with a neutral message that does not tell a bot what gave it away. The field's value
    never reaches ``cleaned_data``.
    """

    honeypot_field_name: ClassVar[str] = "website"
    honeypot_message = _(
        "Ihre Eingaben konnten nicht verarbeitet werden. Bitte versuchen Sie es noch einmal."
    )

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.honeypot_field_name in self.fields:  # it would take the real field's place
            raise ImproperlyConfigured(
                f"{type(self).__name__} has a field {self.honeypot_field_name!r} of its own: "
                "give its honeypot another name (honeypot_field_name)."
            )
        self.fields[self.honeypot_field_name] = HoneypotField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        if cleaned.pop(self.honeypot_field_name, ""):
            self.add_error(None, forms.ValidationError(self.honeypot_message, code="honeypot"))
        return cleaned


class FilterForm(forms.Form):
    """A form of filters on a list page (GET): bad input filters nothing and says why."""

    def valid_data(self) -> dict[str, Any]:
        """The valid part of the filters; an invalid field filters nothing and shows its error."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class TopicAndPlaceFilterForm(FilterForm):
    """Filters by topic and neighbourhood of one municipality, by slug (readable URLs).

    Subclasses add their own fields; ``municipality`` limits the choices.
    """

    topic = forms.ModelChoiceField(
        label=_("Thema"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Themen"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("alle Quartiere"),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        from .selectors import neighbourhood_list, topic_list  # noqa: PLC0415 - forms load early

        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topic_list(municipality=municipality)
        self.fields["neighbourhood"].queryset = neighbourhood_list(municipality=municipality)


class InRangeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a key beyond the database's integers is an invalid choice.

    Django looks the chosen keys up with one ``IN`` query, which SQLite cannot run with an integer
    beyond 64 bits: a forged ``ideas=99999999999999999999`` would end in a server error instead of
    the field's message.
    """

    def clean(self, value: Any) -> Any:
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(value, list | tuple) and isinstance(key, models.IntegerField):
            ops = connections[self.queryset.db].ops
            low, high = ops.integer_field_range(key.get_internal_type())
            for choice in value:
                try:
                    number = int(str(choice))
                except ValueError:
                    continue  # not a number at all: Django's own check names it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": choice},
                    )
        return super().clean(value)


def refusal_text(refused: Exception) -> str:
    """The sentence a service refused with (PermissionDenied, RateLimited …), for the page."""
    return str(refused.args[0] if refused.args else refused)


def submitted(form: forms.Form, service: Callable[..., Any], **arguments: Any) -> bool:
    """Run ``service`` for a valid ``form``; False when it refused, with the reason on the form.

    A ValidationError lands at the fields it names, a refusal (no permission, a rate limit)
    above them, so the page shows the form again with what was typed and why.
    """
    try:
        service(**arguments)
    except ValidationError as error:
        form_errors_from(form, error)
    except (PermissionDenied, RateLimited) as refused:
        form.add_error(None, refusal_text(refused))
    else:
        return True
    return False


def form_errors_from(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class AuditFilterForm(FilterForm):
    """Filters of the administration's log; choices come from the town's own entries."""

    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    aktion = forms.ChoiceField(label=_("Aktion"), required=False)
    objekt = forms.ChoiceField(label=_("Art des Objekts"), required=False)
    von = forms.DateField(
        label=_("von (Datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("bis (Datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        from .audit_display import action_choices, target_type_label  # noqa: PLC0415
        from .selectors import audit_actors, audit_target_types  # noqa: PLC0415 - forms load early

        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            ("", _("alle Personen")),
            *audit_actors(municipality=municipality),
        ]
        self.fields["aktion"].choices = [("", _("alle Aktionen")), *action_choices()]
        self.fields["objekt"].choices = [
            ("", _("alle Arten")),
            *(
                (label, target_type_label(label))
                for label in audit_target_types(municipality=municipality)
            ),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("von"), cleaned.get("bis")
        if since and until and until < since:
            self.add_error("bis", _("Das Ende liegt vor dem Anfang."))
        return cleaned


class ReadabilityFormMixin:
    """Shows how readable the form's public texts are while staff write them.

    ``enable_readability("text")`` marks fields; ``templates/_form.html`` then shows the figures
    under each (``templates/_readability.html``): after a "Lesbarkeit prüfen" submit
    (``readability_checked``, no JavaScript needed; the view renders the form again without
    saving) and, with JavaScript, while typing (htmx posts the text to ``core.views.readability``
    a second after the last key). The score is Amstad's Flesch score (``core.readability``).
    """

    CHECK = "pruefen"  # the name of the check button (templates/_readability_button.html)
    fields: dict[str, forms.Field]
    data: Any

    def enable_readability(self, *names: str, minimum: int | None = None) -> None:
        from django.urls import reverse  # noqa: PLC0415 - forms load before the URLs

        self.readability_minimum = minimum
        for name in names:
            field = self.fields[name]
            field.readability = True  # type: ignore[attr-defined]
            field.readability_report = None  # type: ignore[attr-defined]
            html_name = self.add_prefix(name)  # type: ignore[attr-defined]
            field.widget.attrs.update(
                {
                    "hx-post": reverse("readability"),
                    "hx-trigger": "input changed delay:1s",
                    "hx-target": f"#{self[name].auto_id}_lesbarkeit",  # type: ignore[index]
                    "hx-vals": json.dumps({"lesbarkeit_feld": html_name, "minimum": minimum or ""}),
                    "hx-swap": "innerHTML",
                }
            )

    @property
    def readability_fields(self) -> list[str]:
        return [name for name, field in self.fields.items() if getattr(field, "readability", 0)]

    def readability_checked(self, request: Any) -> bool:
        """Whether the check button sent the form; then the fields carry their figures."""
        if request.method != "POST" or self.CHECK not in request.POST:
            return False
        for name in self.readability_fields:
            text = self.data.get(self.add_prefix(name), "")  # type: ignore[attr-defined]
            self.fields[name].readability_report = analyse(text) if text.strip() else None  # type: ignore[attr-defined]
        return True


class PlacesImportForm(forms.Form):
    data = forms.FileField(
        label=_("Datei (CSV, UTF-8)"),
        help_text=_(
            "Eine Zeile je Ort: Name;Art;Breitengrad;Längengrad;Quartier – die Art ist "
            "Straße, Platz oder Ort, das Quartier darf fehlen. Eine erste Zeile mit „Name;…“ "
            "wird übersprungen. Schon bekannte Namen werden aktualisiert."
        ),
    )

"""How the log page names what an entry records: actions, kinds of records, fields and values.

Everything here reads the registry and the models' own names (no queries), so a page of entries
costs the one query of the selector.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .audit import PLATFORM_ADMIN, REDACTED, REGISTRY
from .models import AuditEntry
from .roles import Role


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def action_label(action: str) -> str:
    spec = REGISTRY.get(action)
    return str(spec.label) if spec else action


def action_choices() -> list[tuple[str, str]]:
    return sorted(
        ((name, str(spec.label)) for name, spec in REGISTRY.items()),
        key=lambda item: item[1].casefold(),
    )


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None  # a kind of record since removed from the code


def target_type_label(label: str) -> str:
    model = _model(label)
    return str(model._meta.verbose_name) if model else label


def role_labels(roles: list[str]) -> list[str]:
    names = []
    for role in roles:
        if role == PLATFORM_ADMIN:
            names.append(_("Plattform-Admin"))
        elif role in Role.values:
            names.append(str(Role(role).label))
        else:
            names.append(role)
    return names


def _value(field: models.Field | None, value: Any) -> str:  # noqa: PLR0911 - one case per kind
    if value == REDACTED:
        return _("(gesetzt – der Wert wird nicht protokolliert)")
    if value is None or value in ("", []):
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nein")
    if isinstance(value, list):
        if field is not None and field.name == "roles":  # role values, as an invitation keeps them
            return ", ".join(role_labels(value))
        return ", ".join(str(item) for item in value)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    return _moment(field, value) or str(value)


def _moment(field: models.Field | None, value: Any) -> str:
    """A date or time as the page's language writes it; empty for anything else."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
            return date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        pass  # not what the field holds today: shown as it was stored
    return ""


def changes(entry: AuditEntry) -> list[Change]:
    """The fields the act changed, named as the forms name them, before and after."""
    model = _model(entry.target_type)
    rows = []
    for name in dict.fromkeys([*entry.before, *entry.after]):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = getattr(field, "verbose_name", None) or name
        if field is not None and field.one_to_many:  # a count of related records
            label = field.related_model._meta.verbose_name_plural
        rows.append(
            Change(
                field=str(label),
                before=_value(field, entry.before.get(name)) if entry.before else "–",
                after=_value(field, entry.after.get(name)) if entry.after else "–",
            )
        )
    return rows

"""Writes of the town's administration: its settings, neighbourhoods, departments, topics and
organisations, by its admins (and platform admins), each logged.

Names are unique per town, ignoring case; the town's row is locked while a name is checked and
stored, so two admins adding the same name at once do not both succeed. A record still used by
anything (projects, ideas, people's roles, the inbox's history …) is not deleted: the refusal
says by what and how many, and nothing is deleted along with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.accounts.models import User
from koproduktion.charter.services import municipality_answer_time_set
from koproduktion.core.audit import audited
from koproduktion.core.models import Department, Municipality, Neighbourhood, Organisation, Topic
from koproduktion.core.permissions import require
from koproduktion.core.services import municipality_content_changed, town_slug
from koproduktion.council.services import municipality_council_recording_set

from .selectors import TownRecord, record_uses

# Paths of the public directory of local actors beside its profiles (``/<town>/akteure/<slug>/``).
ORGANISATION_PATHS = ("neu", "anfragen")

REFUSED = gettext_lazy("Die Verwaltung der Kommune ist Sache ihrer Admins.")

# What a town's admins set on the settings page. The slug (the town's address) and whether the
# town exists at all stay with the platform admins; two-factor log-in is set on the roles page.
SETTINGS_FIELDS = (
    "name",
    "description",
    "website",
    "is_public",
    "support_quorum",
    "initiative_threshold",
    "answer_within_days",
    "min_readability",
    "council_records_decisions",
    "open_data_licence",
    "area_south",
    "area_west",
    "area_north",
    "area_east",
)
# Set through the service that already owns them (and logs them on its own).
DELEGATED = ("answer_within_days", "council_records_decisions")
AREA = ("area_south", "area_west", "area_north", "area_east")


def _require_admin(actor: User, municipality: Municipality | TownRecord) -> None:
    require("townadmin.can_administer", actor, municipality, str(REFUSED))


def _locked(municipality: Municipality) -> Municipality:
    return Municipality.objects.select_for_update().get(pk=municipality.pk)


def _check_area(values: Mapping[str, Any]) -> None:
    given = [values.get(name) is not None for name in AREA]
    if any(given) and not all(given):
        missing = [name for name, there in zip(AREA, given, strict=True) if not there]
        message = _("Das Gebiet braucht alle vier Grenzen, oder keine.")
        raise ValidationError(dict.fromkeys(missing, message))
    if not any(given):
        return
    errors = {}
    if values["area_south"] >= values["area_north"]:
        errors["area_north"] = _("Die Nordgrenze muss nördlich der Südgrenze liegen.")
    if values["area_west"] >= values["area_east"]:
        errors["area_east"] = _("Die Ostgrenze muss östlich der Westgrenze liegen.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@audited(
    gettext_lazy("Einstellungen der Kommune geändert"),
    target="municipality",
    fields=[name for name in SETTINGS_FIELDS if name not in DELEGATED],
    # Changes of the delegated settings alone are logged by their own services.
    when=lambda kwargs: any(name not in DELEGATED for name in kwargs["changes"]),
)
def municipality_settings_set(
    *, actor: User, municipality: Municipality, changes: Mapping[str, Any]
) -> Municipality:
    """Set the town's settings named in ``changes`` (``SETTINGS_FIELDS`` only).

    The answer time and the council's recording go through their own services (charter,
    council), which log them as they do from their own pages. The town's cached pages are
    renewed.
    """
    _require_admin(actor, municipality)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a town setting: {sorted(unknown)}")
    town = _locked(municipality)
    for name, value in changes.items():
        setattr(town, name, value.strip() if isinstance(value, str) else value)
    _check_area({name: getattr(town, name) for name in AREA})
    town.full_clean()
    own = [name for name in changes if name not in DELEGATED]
    if own:
        town.save(update_fields=own)
    if "answer_within_days" in changes and (
        changes["answer_within_days"] != municipality.answer_within_days
    ):
        municipality_answer_time_set(
            actor=actor, municipality=town, days=changes["answer_within_days"]
        )
    if "council_records_decisions" in changes and (
        changes["council_records_decisions"] != municipality.council_records_decisions
    ):
        municipality_council_recording_set(
            actor=actor, municipality=town, allowed=changes["council_records_decisions"]
        )
    municipality_content_changed(municipality_id=town.pk)
    town.refresh_from_db()
    return town


# --- Neighbourhoods, departments, topics, organisations ------------------------------------------


def _save(record: TownRecord, values: Mapping[str, Any]) -> TownRecord:
    """Check and store ``record`` with ``values``, as its town's admin; the caller checked the
    permission. The name must be free in the town (ignoring case)."""
    municipality = _locked(Municipality(pk=record.municipality_id))
    for name, value in values.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    if not record.name:
        raise ValidationError({"name": _("Bitte geben Sie einen Namen an.")})
    same_name = type(record)._default_manager.filter(
        municipality=municipality, name__iexact=record.name
    )
    if same_name.exclude(pk=record.pk).exists():
        raise ValidationError(
            {
                "name": _("„%(name)s“ gibt es in dieser Kommune schon als %(kind)s.")
                % {"name": record.name, "kind": record._meta.verbose_name}
            }
        )
    if isinstance(record, Neighbourhood | Topic | Organisation) and not record.slug:
        # An organisation's profile lives beside the directory's own pages (``neu``).
        reserved = ORGANISATION_PATHS if isinstance(record, Organisation) else ()
        record.slug = town_slug(type(record), municipality.pk, record.name, reserved)
    record.full_clean()
    record.save()
    municipality_content_changed(municipality_id=municipality.pk)
    return record


def _delete(record: TownRecord) -> None:
    """Delete ``record`` unless anything still uses it; the refusal names what, and how many.

    The record's row is locked before the uses are counted: a project or idea being saved with
    it at that moment waits for the lock (or is counted), so nothing is left pointing nowhere.
    """
    type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    uses = record_uses(record=record)
    if uses:
        raise ValidationError(
            _(
                "„%(name)s“ wird noch gebraucht und bleibt deshalb bestehen: %(uses)s. Ordnen "
                "Sie das zuerst anders zu."
            )
            % {"name": record, "uses": "; ".join(str(use) for use in uses)},
            code="in_use",
        )
    municipality_id = record.municipality_id
    try:
        record.delete()
    except (ProtectedError, RestrictedError) as protected:  # a use that came in after counting
        raise ValidationError(
            _("„%(name)s“ wird noch gebraucht und bleibt deshalb bestehen.") % {"name": record},
            code="in_use",
        ) from protected
    municipality_content_changed(municipality_id=municipality_id)


def _new(model: type[models.Model], actor: User, municipality: Municipality, values: Any) -> Any:
    _require_admin(actor, municipality)
    return _save(model(municipality=municipality), values)


def _change(actor: User, record: TownRecord, values: Mapping[str, Any]) -> Any:
    _require_admin(actor, record)
    return _save(record, values)


def _remove(actor: User, record: TownRecord) -> None:
    _require_admin(actor, record)
    _delete(record)


@transaction.atomic
@audited(gettext_lazy("Quartier angelegt"))
def neighbourhood_create(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    description: str = "",
    population: int | None = None,
) -> Neighbourhood:
    """A new neighbourhood; its address (``/<town>/quartiere/<slug>/``) follows from the name
    and stays when the name changes, so links keep working."""
    return _new(
        Neighbourhood,
        actor,
        municipality,
        {"name": name, "description": description, "population": population},
    )


@transaction.atomic
@audited(gettext_lazy("Quartier geändert"), target="neighbourhood")
def neighbourhood_update(
    *,
    actor: User,
    neighbourhood: Neighbourhood,
    name: str,
    description: str = "",
    population: int | None = None,
) -> Neighbourhood:
    return _change(
        actor,
        neighbourhood,
        {"name": name, "description": description, "population": population},
    )


@transaction.atomic
@audited(gettext_lazy("Quartier gelöscht"), target="neighbourhood")
def neighbourhood_delete(*, actor: User, neighbourhood: Neighbourhood) -> None:
    _remove(actor, neighbourhood)


@transaction.atomic
@audited(gettext_lazy("Fachbereich angelegt"))
def department_create(
    *, actor: User, municipality: Municipality, name: str, email: str = "", phone: str = ""
) -> Department:
    return _new(Department, actor, municipality, {"name": name, "email": email, "phone": phone})


@transaction.atomic
@audited(gettext_lazy("Fachbereich geändert"), target="department")
def department_update(
    *, actor: User, department: Department, name: str, email: str = "", phone: str = ""
) -> Department:
    return _change(actor, department, {"name": name, "email": email, "phone": phone})


@transaction.atomic
@audited(gettext_lazy("Fachbereich gelöscht"), target="department")
def department_delete(*, actor: User, department: Department) -> None:
    _remove(actor, department)


def _check_topic_department(municipality_id: int, department: Department | None) -> None:
    if department is not None and department.municipality_id != municipality_id:
        raise ValidationError({"department": _("Gehört zu einer anderen Kommune.")})


@transaction.atomic
@audited(gettext_lazy("Thema angelegt"))
def topic_create(
    *, actor: User, municipality: Municipality, name: str, department: Department | None = None
) -> Topic:
    """A new topic; contributions on it go to ``department`` where the project involves it."""
    _check_topic_department(municipality.pk, department)
    return _new(Topic, actor, municipality, {"name": name, "department": department})


@transaction.atomic
@audited(gettext_lazy("Thema geändert"), target="topic")
def topic_update(
    *, actor: User, topic: Topic, name: str, department: Department | None = None
) -> Topic:
    _check_topic_department(topic.municipality_id, department)
    return _change(actor, topic, {"name": name, "department": department})


@transaction.atomic
@audited(gettext_lazy("Thema gelöscht"), target="topic")
def topic_delete(*, actor: User, topic: Topic) -> None:
    _remove(actor, topic)


@transaction.atomic
@audited(gettext_lazy("Organisation angelegt"))
def organisation_create(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    kind: str = Organisation.Kind.ASSOCIATION,
    website: str = "",
) -> Organisation:
    # An organisation the town's admins set up themselves is confirmed by them.
    return _new(
        Organisation,
        actor,
        municipality,
        {
            "name": name,
            "kind": kind,
            "website": website,
            "verified_at": timezone.now(),
            "verified_by": actor,
        },
    )


@transaction.atomic
@audited(gettext_lazy("Organisation geändert"), target="organisation")
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    kind: str = Organisation.Kind.ASSOCIATION,
    website: str = "",
) -> Organisation:
    return _change(actor, organisation, {"name": name, "kind": kind, "website": website})


@transaction.atomic
@audited(gettext_lazy("Organisation gelöscht"), target="organisation")
def organisation_delete(*, actor: User, organisation: Organisation) -> None:
    _remove(actor, organisation)

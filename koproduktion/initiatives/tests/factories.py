from __future__ import annotations

from koproduktion.core.models import Department, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    person_with_role,
)

from .. import services
from ..models import Initiative, NeedKind


def resident(town: Municipality, **fields):
    return person_with_role(town, Role.RESIDENT, **fields)


def staff_of(department: Department, **fields):
    return person_with_role(department.municipality, Role.STAFF, departments=[department], **fields)


def town(threshold: int = 2) -> Municipality:
    return MunicipalityFactory(initiative_threshold=threshold)


def initiative(municipality: Municipality | None = None, *, publish: bool = True, **fields):
    municipality = municipality or town()
    starter = fields.pop("actor", None) or resident(municipality)
    values = {
        "title": "Gemeinschaftsgarten am Bahnhof",
        "summary": "Wir machen aus der Brache einen Garten für alle.",
        "why": "Es fehlt ein Ort, an dem Nachbarn sich treffen.",
        **fields,
    }
    return services.initiative_start(
        actor=starter, municipality=municipality, publish=publish, **values
    )


def requested(municipality: Municipality | None = None) -> Initiative:
    """An initiative with enough supporters that has asked for a partner department."""
    made = initiative(municipality)
    for _ in range(made.municipality.initiative_threshold):
        services.initiative_support(actor=resident(made.municipality), initiative=made)
    return services.initiative_request_partner(actor=made.created_by, initiative=made)


def need(made: Initiative, **fields):
    values = {"kind": NeedKind.TOOLS, "description": "Schubkarren und Spaten", "quantity": 1}
    return services.need_add(actor=made.created_by, initiative=made, **{**values, **fields})


__all__ = ["DepartmentFactory"]

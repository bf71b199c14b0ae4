from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from koproduktion.core.models import Department, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    person_with_role,
)

from .. import services
from ..models import BuildingBlock, OfferState, SupportOffer


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def coordination_of(municipality: Municipality, **fields: Any):
    return person_with_role(municipality, Role.COORDINATION, **fields)


def staff_of(department: Department, **fields: Any):
    return person_with_role(department.municipality, Role.STAFF, departments=[department], **fields)


def offer(municipality: Municipality | None = None, **fields: Any) -> SupportOffer:
    """A published offer of advice, set up by the town's coordination through the service."""
    municipality = municipality or MunicipalityFactory()
    actor = fields.pop("actor", None) or coordination_of(municipality)
    values = {
        "title": "Beratung für Initiativen",
        "building_block": BuildingBlock.ADVICE,
        "summary": "Eine Stunde mit der Koordinationsstelle.",
        "description": "Wir helfen **gern**.",
        "state": OfferState.PUBLISHED,
        **fields,
    }
    return services.support_offer_create(actor=actor, municipality=municipality, **values)


def funding(municipality: Municipality | None = None, **fields: Any) -> SupportOffer:
    values = {
        "title": "Verfügungsfonds",
        "building_block": BuildingBlock.FUNDING,
        "amount_max_cents": 500000,
        "deadline": in_days(30),
        **fields,
    }
    return offer(municipality, **values)


def expire(made: SupportOffer, days_ago: int = 3) -> SupportOffer:
    """The deadline passed since: no service sets a past deadline, time does."""
    SupportOffer.objects.filter(pk=made.pk).update(deadline=in_days(-days_ago))
    made.refresh_from_db()
    return made


__all__ = ["DepartmentFactory"]

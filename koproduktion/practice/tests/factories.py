"""Examples made as the town's coordination would make them, through the service."""

from __future__ import annotations

from typing import Any

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.practice.models import PracticeExample
from koproduktion.practice.services import practice_example_create


def coordination_of(town: Municipality, **fields: Any):
    return person_with_role(town, Role.COORDINATION, **fields)


def example(
    town: Municipality | None = None, *, tags=(), project=None, **fields: Any
) -> PracticeExample:
    town = town or MunicipalityFactory()
    values = {
        "title": "Ein Beispiel",
        "problem": "Es fehlte etwas.",
        "approach": "Wir haben es gemeinsam gebaut.",
        "year": 2025,
        "is_published": True,
        **fields,
    }
    return practice_example_create(
        actor=coordination_of(town), municipality=town, project=project, tags=tags, **values
    )

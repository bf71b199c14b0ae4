"""Fixtures of the project tests."""

from __future__ import annotations

import datetime

import pytest

from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
    UserFactory,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import phase_schedule, project_create


@pytest.fixture
def town():
    """A public town with a neighbourhood, topic, department and one published project, and a
    platform admin, who edits towns in Django's admin: (municipality, neighbourhood, project,
    admin)."""
    municipality = MunicipalityFactory(name="Musterstadt", slug="musterstadt")
    neighbourhood = NeighbourhoodFactory(municipality=municipality, name="Altstadt")
    topic = TopicFactory(municipality=municipality, name="Mobilität")
    department = DepartmentFactory(municipality=municipality, name="Tiefbauamt")
    project = project_create(
        municipality=municipality,
        title="Fahrradstraße Hafenallee",
        summary="Mehr Platz für Räder.",
        phase=PhaseKind.DIALOGUE,
        topic=topic,
        neighbourhood=neighbourhood,
        department=department,
        is_published=True,
    )
    phase_schedule(project=project, kind=PhaseKind.DIALOGUE, starts_on=datetime.date(2026, 1, 1))
    admin = UserFactory(is_superuser=True, is_staff=True)
    return municipality, neighbourhood, project, admin

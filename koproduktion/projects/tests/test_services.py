from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from koproduktion.core.tests.factories import MunicipalityFactory, NeighbourhoodFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.services import document_add, phase_schedule, project_create
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_create_derives_the_slug():
    project = project_create(
        municipality=MunicipalityFactory(), title="Neue Brücke über die Aue", summary="Kurz."
    )
    assert project.slug == "neue-brucke-uber-die-aue"
    assert not project.is_published


def test_project_cannot_point_to_another_towns_neighbourhood():
    town = MunicipalityFactory()
    elsewhere = NeighbourhoodFactory()
    with pytest.raises(ValidationError) as error:
        project_create(municipality=town, title="Park", summary="Kurz.", neighbourhood=elsewhere)
    assert "neighbourhood" in error.value.message_dict
    assert not Project.objects.exists()


def test_negative_costs_are_refused():
    with pytest.raises(ValidationError):
        project_create(
            municipality=MunicipalityFactory(),
            title="Park",
            summary="Kurz.",
            cost_estimate_cents=-1,
        )


def test_phase_schedule_moves_an_existing_phase_instead_of_adding_one():
    project = ProjectFactory()
    first = phase_schedule(
        project=project, kind=PhaseKind.DIALOGUE, starts_on=datetime.date(2026, 1, 1)
    )
    moved = phase_schedule(
        project=project,
        kind=PhaseKind.DIALOGUE,
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 3, 1),
    )
    assert moved.pk == first.pk
    assert project.phases.count() == 1
    assert moved.municipality_id == project.municipality_id


def test_phase_cannot_end_before_it_starts():
    with pytest.raises(ValidationError):
        phase_schedule(
            project=ProjectFactory(),
            kind=PhaseKind.DIALOGUE,
            starts_on=datetime.date(2026, 2, 1),
            ends_on=datetime.date(2026, 1, 1),
        )


def test_document_needs_a_link_or_a_file():
    project = ProjectFactory()
    with pytest.raises(ValidationError):
        document_add(project=project, title="Leer")
    document = document_add(project=project, title="Plan", url="https://example.org/plan.pdf")
    assert document.href == "https://example.org/plan.pdf"
    assert document.municipality_id == project.municipality_id

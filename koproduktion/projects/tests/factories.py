from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    person_with_role,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Phase, Project


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Vorhaben {n}")
    slug = factory.Sequence(lambda n: f"vorhaben-{n}")
    summary = "Worum es geht, in einem Satz."
    phase = PhaseKind.DIALOGUE
    is_published = True


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.SelfAttribute("project.municipality")
    kind = PhaseKind.DIALOGUE
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 3, 31)


def staff_of(project: Project, **fields):
    """Staff of the department that leads ``project`` (one is made for a project without)."""
    if project.department_id is None:
        project.department = DepartmentFactory(municipality=project.municipality)
        # As a save would: the pages read the project as kept per its last save.
        Project.objects.filter(pk=project.pk).update(
            department=project.department, updated_at=timezone.now()
        )
    return person_with_role(
        project.municipality, Role.STAFF, departments=[project.department], **fields
    )

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.implementation.models import Milestone, Shift, Task
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.factories import staff_of as projects_staff_of


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory, phase=PhaseKind.IMPLEMENTATION)
    municipality = factory.SelfAttribute("project.municipality")
    title = factory.Sequence(lambda n: f"Meilenstein {n}")
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory, phase=PhaseKind.IMPLEMENTATION)
    municipality = factory.SelfAttribute("project.municipality")
    title = factory.Sequence(lambda n: f"Aufgabe {n}")
    address = "Lindenstraße 4"
    contact_name = "Frau Beispiel"
    contact_email = "kontakt@example.org"
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    capacity = 3
    is_published = True


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    task = factory.SubFactory(TaskFactory, date=None)
    municipality = factory.SelfAttribute("task.municipality")
    starts_at = factory.LazyFunction(lambda: in_days(7, 9))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + datetime.timedelta(hours=3))
    capacity = 2


def resident_of(project, **fields):
    return person_with_role(project.municipality, Role.RESIDENT, **fields)


def staff_of(project, **fields):
    return projects_staff_of(project, **fields)

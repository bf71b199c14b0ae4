from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.events.models import Event, EventKind
from koproduktion.projects.tests.factories import ProjectFactory


def in_days(days: float, hour: int = 18) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.SelfAttribute("project.municipality")
    title = factory.Sequence(lambda n: f"Werkstatt {n}")
    description = "Wir planen **gemeinsam**."
    kind = EventKind.WORKSHOP
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=2))
    venue = "Stadtteilhaus"
    address = "Lindenstraße 4"
    capacity = 2
    is_published = True


def resident_of(event: Event, **fields):
    return person_with_role(event.municipality, Role.RESIDENT, **fields)


def coordination_of(municipality, **fields):
    return person_with_role(municipality, Role.COORDINATION, **fields)

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from koproduktion.decisions.models import Poll, PollKind, PollOption
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll

    project = factory.SubFactory(ProjectFactory, phase=PhaseKind.DECISION)
    municipality = factory.SelfAttribute("project.municipality")
    title = factory.Sequence(lambda n: f"Abstimmung {n}")
    kind = PollKind.APPROVAL
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class PollOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollOption

    poll = factory.SubFactory(PollFactory)
    municipality = factory.SelfAttribute("poll.municipality")
    title = factory.Sequence(lambda n: f"Option {n}")

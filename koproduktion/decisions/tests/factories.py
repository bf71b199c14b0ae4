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


def closed(poll: Poll) -> Poll:
    """The poll as it is once its time is up (its results then count every ballot)."""
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    return Poll.objects.get(pk=poll.pk)


class PollOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollOption

    poll = factory.SubFactory(PollFactory)
    municipality = factory.SelfAttribute("poll.municipality")
    title = factory.Sequence(lambda n: f"Option {n}")

from __future__ import annotations

import factory
from django.utils import timezone

from koproduktion.opinions.models import OpinionMap, Participant, Statement, StatementVote
from koproduktion.projects.tests.factories import ProjectFactory


class OpinionMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpinionMap

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.SelfAttribute("project.municipality")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.SelfAttribute("project.municipality")
    text = factory.Sequence(lambda n: f"These Nummer {n}")
    status = Statement.Status.ACCEPTED
    is_seed = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.SelfAttribute("project.municipality")
    external_id = factory.Sequence(str)


class StatementVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementVote

    statement = factory.SubFactory(StatementFactory)
    project = factory.SelfAttribute("statement.project")
    municipality = factory.SelfAttribute("statement.municipality")
    participant = factory.SubFactory(ParticipantFactory, project=factory.SelfAttribute("..project"))
    value = StatementVote.Value.AGREE
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


def opinion_map_with_votes(
    project, *, participants: int = 20, statements: int = 8, seed: int = 0
) -> tuple[OpinionMap, list[Statement]]:
    """A map with two camps of synthetic participants who vote on every statement."""
    import random  # noqa: PLC0415

    rng = random.Random(seed)  # noqa: S311 - test data, not security
    opinion_map = OpinionMapFactory(project=project)
    items = [StatementFactory(project=project) for _ in range(statements)]
    now = timezone.now()
    votes = []
    for i in range(participants):
        person = ParticipantFactory(project=project)
        camp = 1 if i % 2 else -1
        for j, statement in enumerate(items):
            lean = camp if j % 2 else -camp
            value = lean if rng.random() < 0.85 else rng.choice([-1, 0, 1])
            votes.append(
                StatementVote(
                    municipality=project.municipality,
                    project=project,
                    statement=statement,
                    participant=person,
                    value=value,
                    created_at=now,
                    updated_at=now,
                )
            )
    StatementVote.objects.bulk_create(votes)
    for statement in items:
        Statement.objects.filter(pk=statement.pk).update(vote_count=participants)
    return opinion_map, items

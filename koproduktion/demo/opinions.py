"""The demo opinion map of Musterstadt's "Fahrradstraße Hafenallee": statements and votes.

The voters are synthetic participants (no accounts) in three camps — cycling first, parking
first, and the neighbours in between — so that the results page shows groups, consensus and
division from the start. Safe to run again: a map that already has statements is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from koproduktion.core.models import Municipality
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import Participant, Statement, StatementVote
from koproduktion.opinions.services import opinion_map_ensure
from koproduktion.projects.models import Project

PROJECT = ("musterstadt", "fahrradstrasse-hafenallee")
INTRODUCTION = (
    "Wie soll die Hafenallee als Fahrradstraße aussehen? Bewerten Sie die Thesen — "
    "das Meinungsbild zeigt, wo sich die Nachbarschaft einig ist und wo nicht."
)
# Each statement with how the three camps lean: cycling first, parking first, neighbours.
STATEMENTS = [
    ("Kinder sollen sicher mit dem Rad zur Schule fahren können.", (1, 1, 1)),
    ("Autos sollen in der Hafenallee nur noch zum Anliegen fahren dürfen.", (1, -1, 0)),
    ("Die Parkplätze entlang der Allee müssen erhalten bleiben.", (-1, 1, 0)),
    ("Mehr Bäume machen die Hafenallee im Sommer erträglicher.", (1, 0, 1)),
    ("Lieferverkehr für die Geschäfte muss jederzeit möglich sein.", (0, 1, 1)),
    ("Tempo 30 reicht, eine Fahrradstraße ist übertrieben.", (-1, 1, 0)),
    ("An der Ecke Kaistraße braucht es eine sichere Querung für Fußgänger.", (1, 1, 1)),
    ("Anwohnende sollen einen Parkausweis für das Quartier bekommen.", (-1, 1, 1)),
    ("Die Stadt soll Fahrradbügel statt Autoparkplätzen bauen.", (1, -1, -1)),
    ("Der Umbau darf die Geschäfte am Hafen nicht monatelang behindern.", (0, 1, 1)),
    ("Eine Fahrradstraße bringt mehr Kundschaft in die Läden.", (1, -1, 0)),
    ("Die Bürgerbeteiligung zu diesem Vorhaben ist gut organisiert.", (1, 0, 1)),
]
CAMPS = (38, 29, 21)  # participants per camp
AGREE_WITH_CAMP = 0.8


def seed_opinion_map() -> None:
    municipality = Municipality.objects.filter(slug=PROJECT[0]).first()
    project = Project.objects.filter(municipality=municipality, slug=PROJECT[1]).first()
    if project is None or Statement.objects.filter(project=project).exists():
        return
    opinion_map = opinion_map_ensure(project=project)
    opinion_map.introduction = INTRODUCTION
    opinion_map.save(update_fields=["introduction"])
    now = timezone.now()
    statements = Statement.objects.bulk_create(
        Statement(
            municipality=municipality,
            project=project,
            text=text,
            is_seed=True,
            is_meta=index == len(STATEMENTS) - 1,  # the last one is about the process itself
            status=Statement.Status.ACCEPTED,
            moderated_at=now,
        )
        for index, (text, _leanings) in enumerate(STATEMENTS)
    )
    rng = random.Random(2026)  # noqa: S311 - demo data, reproducible
    votes = []
    number = 0
    for camp, size in enumerate(CAMPS):
        for _ in range(size):
            number += 1
            person = Participant.objects.create(
                municipality=municipality, project=project, external_id=f"demo-{number}"
            )
            # Over the months of the dialogue, one after the other.
            when = now - datetime.timedelta(days=100 - number, hours=rng.randint(0, 12))
            for statement, (_text, leanings) in zip(statements, STATEMENTS, strict=True):
                if rng.random() < 0.15:  # not everybody sees every statement
                    continue
                lean = leanings[camp]
                value = lean if rng.random() < AGREE_WITH_CAMP else rng.choice((-1, 0, 1))
                votes.append(
                    StatementVote(
                        municipality=municipality,
                        project=project,
                        statement=statement,
                        participant=person,
                        value=value,
                        created_at=when,
                        updated_at=when,
                    )
                )
    StatementVote.objects.bulk_create(votes)
    for statement in statements:
        Statement.objects.filter(pk=statement.pk).update(
            vote_count=sum(1 for vote in votes if vote.statement_id == statement.pk)
        )
    opinion_map_compute(opinion_map=opinion_map)

"""The demo decision stage: a participatory budget and a binding ranking open for votes, a
verified resident, and recorded decisions whose ideas follow the outcome."""

from __future__ import annotations

import datetime

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.decisions.models import Body, Decision, Outcome, Poll, PollKind, ResultsVisibility
from koproduktion.decisions.services import (
    decision_record,
    option_add,
    poll_create,
    verification_grant,
)
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

BUDGET_OPTIONS = [
    ("Trinkbrunnen am Marktplatz", 28_000),
    ("Bücherschrank im Lindenpark", 6_500),
    ("Beleuchtung des Uferwegs", 64_000),
    ("Sitzbänke entlang der Hafenallee", 18_000),
    ("Bolzplatz Nordstadt erneuern", 52_000),
    ("Blühwiesen an drei Schulen", 12_000),
]


def seed_decisions() -> None:
    town = Municipality.objects.get(slug="musterstadt")
    if Poll.objects.filter(municipality=town).exists():
        return
    admin = User.objects.get(email="admin@musterstadt.example")
    lena = User.objects.get(email="buergerin@musterstadt.example")
    now = timezone.now()
    if town.support_quorum is None:
        Municipality.objects.filter(pk=town.pk).update(support_quorum=50)

    budget_project = Project.objects.get(municipality=town, slug="buergerhaushalt-2027")
    budget = poll_create(
        actor=admin,
        project=budget_project,
        title="Bürgerhaushalt 2027: Ihre Auswahl",
        kind=PollKind.BUDGET,
        budget_cents=150_000 * 100,
        opens_at=now - datetime.timedelta(days=7),
        closes_at=now + datetime.timedelta(days=21),
        results_visibility=ResultsVisibility.LIVE,
        description="Wählen Sie Vorschläge bis zu einer Summe von 150.000 €.",
    )
    for title, euros in BUDGET_OPTIONS:
        option_add(actor=admin, poll=budget, title=title, cost_cents=euros * 100)

    market = Project.objects.get(municipality=town, slug="neugestaltung-marktplatz")
    ranking = poll_create(
        actor=admin,
        project=market,
        title="Welcher Entwurf für den Marktplatz?",
        kind=PollKind.RANKING,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=25),
        binding=True,
        description="Verbindliche Abstimmung für verifizierte Bewohner*innen.",
    )
    for title in (
        "Entwurf A: Platanenhain",
        "Entwurf B: Wasserspiel",
        "Entwurf C: Markthalle offen",
    ):
        option_add(actor=admin, poll=ranking, title=title)
    verification_grant(
        actor=admin,
        user=lena,
        municipality=town,
        neighbourhood=Neighbourhood.objects.get(municipality=town, slug="altstadt"),
        birth_date=datetime.date(1984, 3, 9),
    )

    if not Decision.objects.filter(municipality=town).exists():
        playground = Project.objects.get(municipality=town, slug="spielplatz-lindenpark")
        decision_record(
            actor=admin,
            municipality=town,
            project=playground,
            title="Bau des Spielplatzes im Lindenpark",
            body=Body.COUNCIL,
            body_name="Rat der Stadt Musterstadt",
            decided_on=datetime.date(2025, 6, 12),
            outcome=Outcome.ADOPTED,
            reasons="Der Rat folgt dem Entwurf, den Kinder und Eltern in zwei Werkstätten erarbeitet haben.",
            plain_summary=(
                "Der Rat hat Ja gesagt. Der Spielplatz wird so gebaut, "
                "wie Kinder und Eltern ihn geplant haben."
            ),
            minutes_url="https://musterstadt.example/rat/2025-06-12",
        )
        bikes = Idea.objects.filter(
            project__slug="fahrradstrasse-hafenallee", title="Fahrradbügel am Hafenbecken"
        )
        decision_record(
            actor=admin,
            municipality=town,
            project=bikes.first().project if bikes else None,
            title="Fahrradbügel am Hafenbecken",
            body=Body.ADMINISTRATION,
            body_name="Bürgermeisterin",
            decided_on=timezone.localdate(),
            outcome=Outcome.ADOPTED,
            ideas=list(bikes),
            reasons="Zwanzig Bügel werden im Frühjahr aus dem laufenden Haushalt aufgestellt.",
        )

"""The demo decision stage: a participatory budget and a binding ranking open for votes, with
ballots cast by the town's residents through ``ballot_cast`` (so they stay secret: the sealed
pool counts them in batches, without names or times), verified residents, and recorded decisions
whose ideas follow the outcome."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.decisions.models import (
    Body,
    Decision,
    Outcome,
    Participation,
    Poll,
    PollKind,
    ResultsVisibility,
    Verification,
)
from koproduktion.decisions.services import (
    ballot_cast,
    decision_record,
    option_add,
    poll_create,
    verification_grant,
)
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

from .history import happened_at

BUDGET_OPTIONS = [
    ("Trinkbrunnen am Marktplatz", 28_000),
    ("Bücherschrank im Lindenpark", 6_500),
    ("Beleuchtung des Uferwegs", 64_000),
    ("Sitzbänke entlang der Hafenallee", 18_000),
    ("Bolzplatz Nordstadt erneuern", 52_000),
    ("Blühwiesen an drei Schulen", 12_000),
]
# Ballots in the budget and people verified for the binding ranking. Not a multiple of ten
# plus nine: with batches of ten, the next ballot then waits in the pool and the results page
# says so (BALLOT_BATCH_SIZE).
BUDGET_BALLOTS = 124
VERIFIED = 47
# How the budget's options appeal (the lighting of the riverside path least: the counted
# ballots do not fund it), and how the three designs for the market square do.
APPEAL = (0.8, 0.55, 0.15, 0.6, 0.45, 0.7)
DESIGN_APPEAL = (3.0, 2.0, 1.4)


def seed_decisions(*, residents: list[User], now: datetime.datetime) -> None:
    town = Municipality.objects.get(slug="musterstadt")
    if Poll.objects.filter(municipality=town).exists():
        return
    admin = User.objects.get(email="admin@musterstadt.example")
    lena = User.objects.get(email="buergerin@musterstadt.example")

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
    rng = random.Random("decisions")  # noqa: S311 - demo data, reproducible
    _budget_ballots(rng, budget, residents, now)
    _ranking_ballots(rng, ranking, residents, admin=admin, town=town, now=now)

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


def _cast(
    rng: random.Random, voter: User, poll: Poll, choices: dict[int, int], now: datetime.datetime
) -> None:
    """A ballot through the service; only the participation (who, when) gets its time."""
    since = (now - poll.opens_at).total_seconds()
    when = poll.opens_at + datetime.timedelta(seconds=since * rng.random())
    with happened_at(when, (Participation, "voted_at")):
        ballot_cast(voter=voter, poll=poll, choices=choices)


def _budget_ballots(
    rng: random.Random, poll: Poll, residents: list[User], now: datetime.datetime
) -> None:
    options = list(poll.options.order_by("pk"))
    for voter in rng.sample(residents, BUDGET_BALLOTS):
        wanted = [o for o, appeal in zip(options, APPEAL, strict=True) if rng.random() < appeal]
        chosen, spent = {}, 0
        for option in wanted or options[:1]:
            if spent + option.cost_cents <= poll.budget_cents:
                chosen[option.pk] = 1
                spent += option.cost_cents
        _cast(rng, voter, poll, chosen, now)


def _ranking_ballots(
    rng: random.Random,
    poll: Poll,
    residents: list[User],
    *,
    admin: User,
    town: Municipality,
    now: datetime.datetime,
) -> None:
    """Residents verified at the town hall over the past months rank the three designs."""
    options = list(poll.options.order_by("pk"))
    for voter in rng.sample(residents, VERIFIED):
        with happened_at(
            now - datetime.timedelta(days=rng.randint(5, 150)), (Verification, "verified_at")
        ):
            verification_grant(actor=admin, user=voter, municipality=town)
        order = sorted(options, key=lambda o: -rng.random() * DESIGN_APPEAL[options.index(o)])
        _cast(rng, voter, poll, {o.pk: rank for rank, o in enumerate(order, start=1)}, now)

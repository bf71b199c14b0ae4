"""The demo events of Musterstadt: a past workshop with minutes and ideas recorded on site, a
past information evening, and coming ones — a workshop with few places and a waiting list, a
neighbourhood walk, an action day with many registered, and a harbour tour that is full and
has a waiting list. Dates follow the day the demo is seeded. Written through the
services; safe to run again."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Department, Municipality, Neighbourhood, Organisation
from koproduktion.events.models import Event, EventKind, Registration, RegistrationStatus
from koproduktion.events.services import event_create, event_minutes_set, event_register
from koproduktion.ideas.models import Idea, Source
from koproduktion.ideas.services import idea_create
from koproduktion.projects.models import Project

from .history import happened_at


def _minutes(*, people: int, parking: list[Idea]) -> str:
    """The workshop's minutes, with the numbers the data have: the people registered, the
    ideas on bike parking linked to them."""
    titles = ", ".join(f"„{idea.title}“" for idea in parking)
    return f"""\
{people} Menschen aus dem Hafenquartier hatten sich angemeldet und kamen ins Hafenhaus. An drei
Tischen ging es um Querungen, Abstellplätze und die Ladezonen der Geschäfte.

**Ergebnisse**

- Die Querung an der Lindenstraße hat für fast alle Vorrang.
- Abstellplätze am Hafenbecken fehlen; aufgenommen ist dazu: {titles}.
- Die Geschäfte brauchen Lieferzeiten am Vormittag.

Die Verwaltung prüft die Vorschläge bis zur nächsten Werkstatt.
"""


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_events(*, residents: list[User]) -> None:
    municipality = Municipality.objects.get(slug="musterstadt")
    if Event.objects.filter(municipality=municipality).exists():
        return
    coordination = User.objects.get(email="koordination@musterstadt.example")
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    lena = User.objects.get(email="buergerin@musterstadt.example")
    today = timezone.localdate()
    places = {n.slug: n for n in Neighbourhood.objects.filter(municipality=municipality)}
    projects = {p.slug: p for p in Project.objects.filter(municipality=municipality)}
    participation = Department.objects.filter(
        municipality=municipality, name="Bürgerbeteiligung"
    ).first()
    association = Organisation.objects.filter(municipality=municipality).first()
    cycling = projects["fahrradstrasse-hafenallee"]
    common = {"is_published": True, "department": participation}

    # The workshop took place three weeks ago. It is set up while registration is open, people
    # register (back-dated to the weeks before it), then it moves to its day in the past.
    held_on = today - datetime.timedelta(days=21)
    workshop = event_create(
        actor=coordination,
        municipality=municipality,
        project=cycling,
        neighbourhood=places.get("am-hafen"),
        title="Quartierswerkstatt Fahrradstraße",
        description="Wie soll die Hafenallee als Fahrradstraße aussehen? Wir arbeiten an Plänen "
        "und Modellen – bringen Sie Ihre Erfahrungen mit.",
        kind=EventKind.WORKSHOP,
        starts_at=_at(today + datetime.timedelta(days=1), 18),
        ends_at=_at(today + datetime.timedelta(days=1), 20, 30),
        venue="Hafenhaus",
        address="Am Hafenbecken 3",
        latitude=52.1288,
        longitude=9.3725,
        step_free=True,
        hearing_loop=True,
        capacity=40,
        contact="Bürgerbeteiligung, 05555 100-150",
        **common,
    )
    came = random.Random("workshop").sample(residents, 22)  # noqa: S311 - demo data
    _register(
        random.Random("workshop"),  # noqa: S311 - demo data, reproducible
        workshop,
        came,
        held_on,
        sizes=(1, 2, 1, 1, 2, 1, 1, 1, 2, 1, 1),
    )
    Event.objects.filter(pk=workshop.pk).update(
        starts_at=_at(held_on, 18), ends_at=_at(held_on, 20, 30)
    )
    workshop.refresh_from_db()
    recorded = idea_create(
        actor=staff,
        project=cycling,
        source=Source.WORKSHOP,
        source_event=workshop,
        contributor_name="Tisch 2 der Quartierswerkstatt",
        title="Lieferzonen am Vormittag",
        text="Die Geschäfte an der Hafenallee brauchen morgens Platz zum Be- und Entladen.",
        neighbourhood=places.get("am-hafen"),
    )
    earlier = list(
        Idea.objects.filter(project=cycling, source=Source.WORKSHOP).exclude(pk=recorded.pk)
    )
    registered = sum(
        Registration.objects.filter(
            event=workshop, status=RegistrationStatus.REGISTERED
        ).values_list("people", flat=True)
    )
    minutes = _minutes(people=registered, parking=earlier)
    event_minutes_set(actor=coordination, event=workshop, minutes=minutes, ideas=earlier)

    event_create(
        actor=coordination,
        municipality=municipality,
        project=projects.get("wohnen-am-gueterbahnhof"),
        title="Informationsabend: Wohnen am Güterbahnhof",
        description="Die Stadtplanung stellt den Rahmenplan vor und beantwortet Fragen.",
        kind=EventKind.INFORMATION,
        starts_at=_at(today - datetime.timedelta(days=9), 19),
        ends_at=_at(today - datetime.timedelta(days=9), 21),
        venue="Rathaus, Ratssaal",
        address="Marktplatz 1",
        step_free=True,
        sign_language=True,
        **common,
    )
    second = event_create(
        actor=coordination,
        municipality=municipality,
        project=cycling,
        neighbourhood=places.get("am-hafen"),
        title="Zweite Quartierswerkstatt: Querungen",
        description="Wir gehen die Entwürfe für die Querungen Stück für Stück durch.",
        kind=EventKind.WORKSHOP,
        starts_at=_at(today + datetime.timedelta(days=12), 18),
        ends_at=_at(today + datetime.timedelta(days=12), 20),
        venue="Hafenhaus",
        address="Am Hafenbecken 3",
        latitude=52.1288,
        longitude=9.3725,
        step_free=True,
        childcare=True,
        accessibility="Eingang an der Wasserseite, Aufzug ins Obergeschoss.",
        capacity=12,
        registration_until=_at(today + datetime.timedelta(days=10), 12),
        contact="Bürgerbeteiligung, 05555 100-150",
        **common,
    )
    event_register(actor=lena, event=second, people=2, note="Wir bringen ein Kind mit (4 Jahre).")
    # The primary school comes to the workshop on crossings with three people, as the school.
    school = User.objects.filter(email="schule@musterstadt.example").first()
    if school is not None:
        event_register(
            actor=school,
            event=second,
            people=3,
            note="Zwei Lehrkräfte und eine Elternvertreterin.",
            organisation=Organisation.objects.get(
                municipality=municipality, representatives__user=school
            ),
        )
    event_create(
        actor=coordination,
        municipality=municipality,
        project=projects.get("quartierstreff-nordstadt"),
        neighbourhood=places.get("nordstadt"),
        title="Quartiersspaziergang Nordstadt",
        description="Vom Nordplatz zum künftigen Quartierstreff: was ist schon passiert, was fehlt?",
        kind=EventKind.WALK,
        starts_at=_at(today + datetime.timedelta(days=19), 15),
        ends_at=_at(today + datetime.timedelta(days=19), 17),
        venue="Treffpunkt Nordplatz",
        address="Nordplatz, am Brunnen",
        latitude=52.145,
        longitude=9.36,
        accessibility="Die Strecke ist eben und etwa 2 km lang; es gibt Pausen mit Sitzplätzen.",
        organisation=association,
        **common,
    )
    action_day = event_create(
        actor=coordination,
        municipality=municipality,
        neighbourhood=places.get("altstadt"),
        title="Aktionstag Saubere Altstadt",
        description="Gemeinsam räumen wir auf, pflanzen und reparieren Bänke. Handschuhe und "
        "Werkzeug sind da.",
        kind=EventKind.ACTION_DAY,
        starts_at=_at(today + datetime.timedelta(days=33), 10),
        ends_at=_at(today + datetime.timedelta(days=33), 14),
        venue="Marktplatz",
        address="Marktplatz",
        childcare=True,
        capacity=60,
        **common,
    )
    tour = event_create(
        actor=coordination,
        municipality=municipality,
        project=cycling,
        neighbourhood=places.get("am-hafen"),
        title="Rundgang: Das alte Hafenviertel im Wandel",
        description="Eine Stadtplanerin zeigt, was aus Speichern und Werften werden soll.",
        kind=EventKind.WALK,
        starts_at=_at(today + datetime.timedelta(days=8), 16),
        ends_at=_at(today + datetime.timedelta(days=8), 17, 30),
        venue="Treffpunkt Hafenhaus",
        address="Am Hafenbecken 3",
        latitude=52.1288,
        longitude=9.3725,
        capacity=10,
        accessibility="Der Weg ist gepflastert und eben; Pausen auf Bänken am Kai.",
        **common,
    )
    rng = random.Random("events")  # noqa: S311 - demo data, reproducible
    people = rng.sample(residents, 34)
    # The tour: full, three registrations (five people) waiting for a place.
    _register(rng, tour, people[:10], today, sizes=(1, 1, 2, 2, 1, 1, 2, 2, 2, 1))
    # The action day: 22 registrations, for about 35 people.
    _register(rng, action_day, people[10:], today, sizes=(1, 1, 2, 1, 3, 1, 2, 1, 1, 1, 2))


def _register(
    rng: random.Random,
    event: Event,
    people: list[User],
    today: datetime.date,
    *,
    sizes: tuple[int, ...],
) -> None:
    # In the order they came, so the waiting list's order is the order of their times.
    days = sorted((rng.randint(1, 20) for _ in people), reverse=True)
    for number, (person, days_ago) in enumerate(zip(people, days, strict=True)):
        when = _at(today - datetime.timedelta(days=days_ago), 8 + number % 13)
        with happened_at(when, (Registration, "created_at")):
            event_register(actor=person, event=event, people=sizes[number % len(sizes)])

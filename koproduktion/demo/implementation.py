"""The demo implementation: the Quartierstreff Nordstadt with milestones, tasks in shifts, a
commitment, progress updates over half a year with photos (drawn by code, photos.py), a report
from the finished playground, and sponsorship objects in Musterstadt. Written through the
services, so counters and rules are what real use would leave. Safe to run again."""

from __future__ import annotations

import datetime

import rules
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Department, Municipality, Organisation
from koproduktion.implementation.models import Milestone, MilestoneStatus, Update
from koproduktion.implementation.services import (
    ShiftSpec,
    milestone_create,
    task_commit,
    task_create,
    update_post,
)
from koproduktion.projects.models import Project
from koproduktion.sponsorships.models import ObjectKind, SponsorshipObject
from koproduktion.sponsorships.services import (
    object_create,
    sponsorship_apply,
    sponsorship_approve,
)

from .history import happened_at
from .photos import photo

DAY = datetime.timedelta(days=1)

# Progress on the Quartierstreff: (days ago, text, photos as (scene, description)).
UPDATES = [
    (
        150,
        "Die alten Regale sind raus, der Boden liegt frei. Danke an die zwölf Nachbarinnen und "
        "Nachbarn, die beim Ausräumen geholfen haben!",
        [("room", "Der leere Ladenraum mit Leiter und Farbeimer vor dem Streichen.")],
    ),
    (
        95,
        "Die Elektrik ist erneuert. Als Nächstes kommen Küche und Boden.",
        [],
    ),
    (
        40,
        "Die ersten Wände sind gestrichen – in den Farben, die die Nachbarschaft beim "
        "Quartiersspaziergang ausgesucht hat.",
        [
            ("room", "Frisch gestrichene Wand in Gelb, davor eine Leiter."),
            ("shop", "Das Ladenlokal von außen mit gestreifter Markise."),
        ],
    ),
    (
        12,
        "Vor dem Treff steht jetzt ein Hochbeet, gebaut von der Grundschule. Wer mitgießen will, "
        "meldet sich im Treff.",
        [
            ("bed", "Ein Hochbeet aus Holz mit bunten Blumen vor dem Quartierstreff."),
            ("bench", "Eine neue Holzbank neben dem Hochbeet."),
        ],
    ),
]

OBJECTS = [
    (
        ObjectKind.TREE,
        "Linde am Nordplatz",
        52.145,
        9.36,
        "Nordplatz",
        "Im Sommer wöchentlich gießen.",
    ),
    (
        ObjectKind.BED,
        "Hochbeet vor dem Quartierstreff",
        52.142,
        9.365,
        "Nordstraße 12",
        "Pflanzen, jäten, gießen.",
    ),
    (
        ObjectKind.BENCH,
        "Bank am Hafenbecken",
        52.12,
        9.33,
        "Am Hafenbecken",
        "Sauber halten, Schäden melden.",
    ),
    (
        ObjectKind.PLAYGROUND,
        "Spielplatz Lindenpark",
        52.13,
        9.38,
        "Lindenpark",
        "Sand prüfen, Müll sammeln.",
    ),
    (
        ObjectKind.BUS_STOP,
        "Haltestelle Güterbahnhof",
        52.14,
        9.4,
        "Güterbahnhof",
        "Wartehäuschen sauber halten.",
    ),
]


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + days * DAY
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_implementation(*, now: datetime.datetime) -> None:
    municipality = Municipality.objects.get(slug="musterstadt")
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    project = Project.objects.get(municipality=municipality, slug="quartierstreff-nordstadt")
    project.municipality = municipality
    if not Milestone.objects.filter(project=project).exists():
        _plan(project, staff, municipality, now)
        _playground(municipality, now)
    if not SponsorshipObject.objects.filter(municipality=municipality).exists():
        _objects(municipality, staff)


def _plan(
    project: Project, staff: User, municipality: Municipality, now: datetime.datetime
) -> None:
    today = timezone.localdate()
    social = Department.objects.filter(
        municipality=municipality, name="Soziales und Wohnen"
    ).first()
    association = Organisation.objects.filter(municipality=municipality).first()
    lease = milestone_create(
        actor=staff,
        project=project,
        title="Mietvertrag für das Ladenlokal",
        weight=1,
        target_date=today - 120 * DAY,
        status=MilestoneStatus.DONE,
        responsible_department=social,
    )
    renovation = milestone_create(
        actor=staff,
        project=project,
        title="Umbau und Renovierung",
        weight=3,
        description="Wände, Boden, Küche: die Handwerksbetriebe und viele helfende Hände.",
        target_date=today + 30 * DAY,
        status=MilestoneStatus.IN_PROGRESS,
        percent_complete=60,
        responsible_organisation=association,
    )
    milestone_create(
        actor=staff,
        project=project,
        title="Barrierefreier Eingang",
        weight=2,
        target_date=today + 20 * DAY,
        status=MilestoneStatus.DELAYED,
        percent_complete=20,
        delay_reason="Die Rampe braucht eine Genehmigung des Denkmalschutzes; sie ist beantragt.",
        responsible_department=social,
    )
    milestone_create(
        actor=staff,
        project=project,
        title="Eröffnungsfest",
        weight=1,
        target_date=today + 60 * DAY,
        responsible_group="Nachbarschaftsgruppe Nordstadt",
    )
    painting = task_create(
        actor=staff,
        project=project,
        milestone=renovation,
        title="Wände streichen",
        description="Farbe, Rollen und Kaffee sind da. Bitte alte Kleidung mitbringen.",
        address="Nordstraße 12, Musterstadt",
        latitude=52.142,
        longitude=9.365,
        capacity=4,
        skills="keine Vorkenntnisse nötig",
        contact_name="Frau Yilmaz",
        contact_email="soziales@musterstadt.example",
        shifts=[ShiftSpec(_at(6, 9), _at(6, 13)), ShiftSpec(_at(6, 14), _at(6, 18), capacity=3)],
        is_published=True,
    )
    task_create(
        actor=staff,
        project=project,
        milestone=renovation,
        title="Möbel aus dem Lager holen",
        address="Bauhof, Hafenstraße 2",
        date=today + 9 * DAY,
        capacity=3,
        skills="Führerschein Klasse B, kräftige Hände",
        contact_name="Herr Brandt",
        contact_phone="05555 1234",
        is_published=True,
    )
    resident = User.objects.get(email="buergerin@musterstadt.example")
    task_commit(actor=resident, task=painting, shift=painting.shifts.first(), share_contact=True)
    # The Bürgerverein sends two people to the afternoon shift, as the association.
    representative = User.objects.get(email="verein@musterstadt.example")
    task_commit(
        actor=representative,
        task=painting,
        shift=painting.shifts.order_by("starts_at").last(),
        organisation=Organisation.objects.get(
            municipality=municipality, representatives__user=representative
        ),
        people=2,
    )
    with happened_at(now - 190 * DAY, (Update, "created_at")):
        update_post(
            actor=staff,
            project=project,
            milestone=lease,
            posted_as="Fachbereich Soziales und Wohnen",
            text=(
                "Der Mietvertrag ist unterschrieben, die Schlüssel sind übergeben. "
                "Jetzt geht es an den **Umbau** – wer mithelfen will, findet die Termine unter "
                "„Aufgaben zum Mitmachen“."
            ),
            photos=[(photo("shop", 1), "Das leere Ladenlokal an der Nordstraße von außen.")],
        )
    for number, (days_ago, text, pictures) in enumerate(UPDATES, start=2):
        with happened_at(now - days_ago * DAY, (Update, "created_at")):
            update_post(
                actor=staff,
                project=project,
                milestone=renovation,
                posted_as="Fachbereich Soziales und Wohnen",
                text=text,
                photos=[(photo(scene, number), alt) for scene, alt in pictures],
            )


def _playground(municipality: Municipality, now: datetime.datetime) -> None:
    """The finished playground, reported once more in its evaluation phase."""
    project = Project.objects.get(municipality=municipality, slug="spielplatz-lindenpark")
    admin = User.objects.get(email="admin@musterstadt.example")
    if not rules.test_rule("implementation.can_post_update", admin, project):
        return
    with happened_at(now - 118 * DAY, (Update, "created_at")):
        update_post(
            actor=admin,
            project=project,
            posted_as="Grünflächen und Umwelt",
            text="Der Spielplatz ist offen! Schaukel und Rutsche sind so gebaut, wie die Kinder "
            "sie in den Werkstätten gezeichnet haben.",
            photos=[
                (
                    photo("playground", 1),
                    "Der neue Spielplatz mit roter Schaukel und gelber Rutsche.",
                )
            ],
        )


def _objects(municipality: Municipality, staff: User) -> None:
    created = [
        object_create(
            actor=staff,
            municipality=municipality,
            kind=kind,
            name=name,
            latitude=latitude,
            longitude=longitude,
            address=address,
            duties=duties,
        )
        for kind, name, latitude, longitude, address, duties in OBJECTS
    ]
    sponsor = User.objects.get(email="verein@musterstadt.example")
    organisation = Organisation.objects.filter(
        representatives__user=sponsor, municipality=municipality
    ).first()
    application = sponsorship_apply(
        actor=sponsor,
        obj=created[0],
        organisation=organisation,
        motivation="Unsere Mitglieder wohnen am Nordplatz und gießen gern.",
    )
    today = timezone.localdate()
    sponsorship_approve(
        actor=staff,
        sponsorship=application,
        term_start=today - 200 * DAY,
        term_end=today + 165 * DAY,
        duties=created[0].duties,
        insurance_note="Ehrenamtliche sind über die Sammelversicherung des Landes versichert.",
    )

"""The demo initiatives of Musterstadt, one in each state: a garden that became a project, a
repair café waiting for a partner department, a book cabinet gathering support, a boules court
the administration declined with its reasons, a cargo bike withdrawn, and a draft. With
supporters, co-initiators, needs and offers. Written through the services; safe to run again.

The town asks 5 supporters before an initiative may ask for a partner (the default is 25), so
that the demo's handful of neighbours reaches it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import (
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Topic,
)
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant
from koproduktion.demo.data import DEMO_PASSWORD
from koproduktion.initiatives import services
from koproduktion.initiatives.models import (
    Initiative,
    Initiator,
    Need,
    NeedKind,
    NeedOffer,
    StateChange,
    Supporter,
)
from koproduktion.townadmin.services import municipality_settings_set

THRESHOLD = 5
SUPPORTERS = [
    ("gaertnerin@musterstadt.example", "Gärtnerin aus der Nordstadt"),
    ("schrauber@musterstadt.example", "Schrauber vom Hafen"),
    ("leseratte@musterstadt.example", "Leseratte"),
    ("opa-altstadt@musterstadt.example", "Opa aus der Altstadt"),
    ("studentin@musterstadt.example", "Studentin am Markt"),
    ("familie-hafen@musterstadt.example", "Familie vom Hafen"),
]


def _people(municipality: Municipality) -> list[User]:
    people = []
    for email, name in SUPPORTERS:
        person = User.objects.filter(email=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, public_name=name, email_confirmed_at=timezone.now()
        )
        membership_grant(user=person, municipality=municipality, role=Role.RESIDENT)
        people.append(person)
    return people


def _start(starter: User, municipality: Municipality, supporters: list[User], **fields):
    initiative = services.initiative_start(actor=starter, municipality=municipality, **fields)
    for person in supporters:
        services.initiative_support(actor=person, initiative=initiative)
    return initiative


# When each initiative started and when its last step was taken, in days before the seed.
DATES = {
    "Gemeinschaftsgarten am Güterbahnhof": (330, 290),
    "Reparatur-Café in der Nordstadt": (200, 150),
    "Offener Bücherschrank am Marktplatz": (45, 30),
    "Boule-Bahn an der Hafenpromenade": (260, 230),
    "Lastenrad zum Leihen": (120, 90),
    "Nachbarschaftsfest in der Altstadt": (3, 3),
}


def _dated(initiative: Initiative, now: datetime.datetime) -> None:
    """Move an initiative's story to its dates: started, supported and offered to soon after,
    each change of state spread until its last step, in the order they were taken."""
    started, last = (now - datetime.timedelta(days=d) for d in DATES[initiative.title])
    soon = started + datetime.timedelta(days=2)
    Initiative.objects.filter(pk=initiative.pk).update(created_at=started)
    for model in (Initiator, Supporter, Need):
        model.objects.filter(initiative=initiative).update(created_at=soon)
    NeedOffer.objects.filter(need__initiative=initiative).update(created_at=soon)
    changes = list(StateChange.objects.filter(initiative=initiative).order_by("pk"))
    for number, change in enumerate(changes, start=1):
        when = started + (last - started) * number / len(changes)
        StateChange.objects.filter(pk=change.pk).update(changed_at=when)


def seed_initiatives(*, now: datetime.datetime) -> None:
    municipality = Municipality.objects.get(slug="musterstadt")
    if Initiative.objects.filter(municipality=municipality).exists():
        return
    admin = User.objects.get(email="admin@musterstadt.example")
    municipality = municipality_settings_set(
        actor=admin, municipality=municipality, changes={"initiative_threshold": THRESHOLD}
    )
    coordination = User.objects.get(email="koordination@musterstadt.example")
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    lena = User.objects.get(email="buergerin@musterstadt.example")
    club = User.objects.get(email="verein@musterstadt.example")
    club_name = Membership.objects.get(user=club, municipality=municipality).organisation
    people = _people(municipality)
    places = {n.slug: n for n in Neighbourhood.objects.filter(municipality=municipality)}
    topics = {t.slug: t for t in Topic.objects.filter(municipality=municipality)}
    planning = Department.objects.get(municipality=municipality, name="Stadtplanung")

    garden = _start(
        lena,
        municipality,
        people[:5],
        title="Gemeinschaftsgarten am Güterbahnhof",
        summary="Aus der Brache am Güterbahnhof wird ein Garten, in dem alle mitgärtnern.",
        why="In der Nordstadt fehlt ein Ort, an dem Nachbarinnen und Nachbarn sich treffen, "
        "Kinder Gemüse wachsen sehen und Ältere ein Beet in Hüfthöhe haben.",
        help_needed="Eine Nutzungsvereinbarung für die Fläche, Wasseranschluss, Werkzeug.",
        neighbourhood=places.get("nordstadt"),
        topic=topics.get("oeffentlicher-raum"),
        contact="Lena, 05555 123 456 (abends)",
    )
    joined = services.initiative_join(
        actor=people[5], initiative=garden, message="Ich habe einen Gartenbau-Abschluss."
    )
    services.initiator_accept(actor=lena, join_request=joined)
    tools = services.need_add(
        actor=lena,
        initiative=garden,
        kind=NeedKind.TOOLS,
        description="Spaten, Schubkarren und Gießkannen für die ersten Beete",
        quantity=3,
        when="ab April",
    )
    offer = services.need_offer(
        actor=people[1],
        need=tools,
        message="Ich habe zwei Schubkarren im Schuppen, die ich nicht brauche.",
        contact="05555 777 888",
    )
    services.offer_accept(actor=lena, offer=offer)
    services.need_offer(
        actor=people[2], need=tools, message="Drei Gießkannen kann ich vorbeibringen."
    )
    services.need_add(
        actor=lena,
        initiative=garden,
        kind=NeedKind.KNOW_HOW,
        description="Jemand, der sich mit Hochbeeten für Rollstuhlfahrende auskennt",
    )
    services.initiative_request_partner(actor=lena, initiative=garden)
    services.initiative_accept(
        actor=coordination, initiative=garden, department=planning, contact_person=staff
    )

    cafe = _start(
        club,
        municipality,
        people[:THRESHOLD],
        title="Reparatur-Café in der Nordstadt",
        summary="Einmal im Monat reparieren wir gemeinsam Toaster, Fahrräder und Kleidung.",
        why="Vieles landet im Müll, weil niemand weiß, wie man es repariert. Zusammen geht "
        "es, und man lernt sich kennen.",
        help_needed="Ein Raum mit Strom und Tischen, einmal im Monat am Samstag.",
        neighbourhood=places.get("nordstadt"),
        organisation=club_name,
    )
    room = services.need_add(
        actor=club,
        initiative=cafe,
        kind=NeedKind.ROOM,
        description="Ein Raum für 20 Menschen mit Steckdosen und Tischen",
        when="jeden ersten Samstag im Monat",
    )
    services.need_offer(
        actor=lena,
        need=room,
        message="Der Gemeinschaftsraum unseres Hauses steht samstags meistens leer.",
    )
    services.need_add(
        actor=club,
        initiative=cafe,
        kind=NeedKind.PEOPLE,
        description="Menschen, die gern schrauben, nähen oder löten",
        quantity=5,
    )
    services.initiative_request_partner(actor=club, initiative=cafe)

    cabinet = _start(
        people[2],
        municipality,
        [lena, people[3]],
        title="Offener Bücherschrank am Marktplatz",
        summary="Ein wetterfester Schrank, in den alle Bücher stellen und aus dem alle nehmen.",
        why="Bücher sollen weiterwandern statt im Keller zu stehen.",
        neighbourhood=places.get("altstadt"),
    )
    services.need_add(
        actor=people[2],
        initiative=cabinet,
        kind=NeedKind.MONEY,
        description="Etwa 800 Euro für einen gebrauchten Telefonzellen-Schrank",
    )

    boules = _start(
        people[3],
        municipality,
        [*people[:3], people[4], people[5]],
        title="Boule-Bahn an der Hafenpromenade",
        summary="Eine Boule-Bahn auf dem Kies neben den Bänken.",
        why="Abends sitzen dort viele; mit einer Bahn kämen sie ins Spiel.",
        neighbourhood=places.get("am-hafen"),
    )
    services.initiative_request_partner(actor=people[3], initiative=boules)
    services.initiative_decline(
        actor=coordination,
        initiative=boules,
        reason="Die Promenade wird 2027 für den Hochwasserschutz umgebaut; bis dahin darf dort "
        "nichts Festes gebaut werden. Sprechen Sie uns für den Neubau gern wieder an.",
    )

    bike = _start(
        people[4],
        municipality,
        [lena],
        title="Lastenrad zum Leihen",
        summary="Ein Lastenrad, das alle im Quartier ausleihen können.",
        why="Für Einkäufe und Umzüge ohne Auto.",
        topic=topics.get("mobilitaet"),
    )
    services.initiative_withdraw(
        actor=people[4],
        initiative=bike,
        reason="Die Initiative Radentscheid verleiht inzwischen zwei Räder; wir machen dort mit.",
    )

    services.initiative_start(
        actor=lena,
        municipality=municipality,
        title="Nachbarschaftsfest in der Altstadt",
        summary="Ein Fest für alle in der Altstadt, mit Flohmarkt und Musik.",
        why="Damit man die Leute aus dem Haus gegenüber kennenlernt.",
        neighbourhood=places.get("altstadt"),
        publish=False,
    )
    for initiative in Initiative.objects.filter(municipality=municipality, title__in=DATES):
        _dated(initiative, now)

"""The demo towns' residents: a couple of hundred people with pseudonyms, who write, support and
vote in the demo. They have no password (only the accounts in the README can log in) and read
their notifications once a day, so seeding a year of conversation mails nobody.

The accounts themselves are rows without derived state, written in bulk; their roles go through
``membership_grant`` like everybody else's.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant
from koproduktion.notifications.models import EmailFrequency, NotificationSettings

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elif",
    "Finn",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Karla",
    "Leon",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Samir",
    "Tilda",
    "Uwe",
    "Vera",
    "Wolfgang",
    "Yusuf",
    "Zoe",
    "Ahmet",
    "Bettina",
    "Carsten",
    "Doris",
    "Emil",
    "Frieda",
    "Gerd",
    "Helga",
    "Ilse",
    "Jan",
    "Katrin",
    "Lars",
    "Marta",
    "Nils",
    "Petra",
    "Rainer",
    "Sabine",
    "Timo",
    "Ulla",
    "Volker",
    "Wiebke",
    "Jörg",
    "Heike",
    "Mehmet",
    "Ingrid",
    "Kai",
    "Lotte",
    "Malte",
    "Nadia",
    "Ole",
    "Pia",
    "Ruth",
    "Sven",
    "Theo",
]
SURNAMES = [
    "Albers",
    "Brandt",
    "Claßen",
    "Dietrich",
    "Ebert",
    "Fischer",
    "Graf",
    "Hoffmann",
    "Imhoff",
    "Jansen",
    "Kaya",
    "Lange",
    "Meyer",
    "Neumann",
    "Otto",
    "Peters",
    "Quast",
    "Richter",
    "Schulte",
    "Tiedemann",
    "Vogt",
    "Wagner",
    "Yılmaz",
    "Ziegler",
]
# Where people say they are from, with the preposition the place takes.
HOMES = {
    "musterstadt": (
        "aus der Altstadt",
        "aus der Nordstadt",
        "vom Hafen",
        "vom Werftweg",
        "aus der Kaistraße",
        "vom Birkenweg",
        "vom Marktplatz",
        "aus der Mühlenstraße",
        "vom Nordplatz",
        "am Stadtgraben",
    ),
    "beispielheim": ("aus dem Oberdorf", "aus dem Unterdorf", "vom Dorfplatz", "vom Hof Linde"),
}
HOW_MANY = {"musterstadt": 220, "beispielheim": 30}


def _pseudonyms(rng: random.Random, town: str, count: int) -> list[str]:
    """``count`` different public names, in the ways people choose them."""
    patterns = (
        lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(HOMES[town])}",
        lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)[0]}.",
        lambda: f"{rng.choice(FIRST_NAMES)}{rng.randint(60, 99)}",
        lambda: f"Familie {rng.choice(SURNAMES)}",
        lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
    )
    taken = {name.lower() for name in User.objects.values_list("public_name", flat=True)}
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(patterns)()[:40]
        if name.lower() not in taken:
            taken.add(name.lower())
            names.append(name)
    return names


def seed_people(municipality: Municipality, *, now: datetime.datetime) -> list[User]:
    """The town's generated residents (created once, found again on the next run)."""
    prefix = f"bewohner-{municipality.slug}-"
    residents = list(User.objects.filter(email__startswith=prefix).order_by("email"))
    if residents:
        return residents
    rng = random.Random(f"people-{municipality.slug}")  # noqa: S311 - demo data, reproducible
    domain = f"{municipality.slug}.example"
    names = _pseudonyms(rng, municipality.slug, HOW_MANY[municipality.slug])
    unusable = make_password(None)
    residents = User.objects.bulk_create(
        User(
            email=f"{prefix}{number:03d}@{domain}",
            public_name=name,
            password=unusable,
            # Joined over the past two years; confirmed their address the same day.
            date_joined=(joined := now - datetime.timedelta(days=rng.randint(30, 730))),
            email_confirmed_at=joined + datetime.timedelta(minutes=rng.randint(2, 90)),
        )
        for number, name in enumerate(names, start=1)
    )
    NotificationSettings.objects.bulk_create(
        NotificationSettings(user=person, email_frequency=EmailFrequency.DAILY)
        for person in residents
    )
    for person in residents:
        membership_grant(user=person, municipality=municipality, role=Role.RESIDENT)
    return residents


def at(now: datetime.datetime, days_ago: float) -> datetime.datetime:
    """A moment ``days_ago`` days before ``now``, in the daytime (people write between 7 and 23)."""
    moment = timezone.localtime(now - datetime.timedelta(days=days_ago))
    if not 7 <= moment.hour < 23:
        moment = moment.replace(hour=7 + moment.minute % 15)
    return min(moment, now)

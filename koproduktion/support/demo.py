"""The demo town's support catalogue: a dozen offers across the five building blocks, funding
with amounts and deadlines in the coming months, one whose deadline has passed, and a few
linked to the demo's projects and initiatives. Written through the services; safe to run again.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Department, Municipality, Neighbourhood, Organisation, Topic
from koproduktion.demo.history import happened_at
from koproduktion.initiatives.models import Initiative
from koproduktion.projects.models import Project

from . import services
from .models import BuildingBlock, OfferState, SupportLink, SupportOffer

# The catalogue grew over the demo's year: the first offer was entered this many days before
# the seed, each next one ``_EVERY`` days later.
_FIRST_DAYS_AGO = 340
_EVERY = 19

COORDINATION = "koordination@musterstadt.example"
EURO = 100

# (title, block, summary, extra fields); "in_days" is the deadline, "places"/"themes" slugs.
OFFERS: list[tuple[str, BuildingBlock, str, dict[str, Any]]] = [
    (
        "Wegweiser Bürgerbeteiligung",
        BuildingBlock.INFORMATION,
        "Wie Sie in Musterstadt mitreden, mitplanen und mitmachen: alle Wege auf einen Blick.",
        {"department": "Bürgerbeteiligung", "target_group": "alle Bürger*innen"},
    ),
    (
        "Infoabend: Geld für Nachbarschaftsprojekte",
        BuildingBlock.INFORMATION,
        "Welche Fördertöpfe es gibt und wie ein Antrag gelingt – mit Beispielen aus der Stadt.",
        {"department": "Bürgerbeteiligung", "in_days": 20, "target_group": "Initiativen, Vereine"},
    ),
    (
        "Beratung für Initiativen: vom Einfall zum Antrag",
        BuildingBlock.ADVICE,
        "Eine Stunde mit der Koordinationsstelle: Idee schärfen, Partner finden, Antrag planen.",
        {
            "department": "Bürgerbeteiligung",
            "target_group": "Nachbarschaftsinitiativen",
            "eligibility": "Alle Gruppen aus Musterstadt, auch ohne Verein.",
        },
    ),
    (
        "Bauberatung für Gemeinschaftsräume",
        BuildingBlock.ADVICE,
        "Die Stadtplanung berät, was ein Raum für die Nachbarschaft braucht: Brandschutz, "
        "Barrierefreiheit, Genehmigungen.",
        {"department": "Stadtplanung", "target_group": "Vereine, Genossenschaften, Kirchen"},
    ),
    (
        "Verfügungsfonds Nordstadt",
        BuildingBlock.FUNDING,
        "Kleine Zuschüsse für Aktionen, die die Nachbarschaft in der Nordstadt stärken.",
        {
            "department": "Soziales und Wohnen",
            "provider_name": "Städtebauförderung „Sozialer Zusammenhalt“",
            "amount_max_cents": 5000 * EURO,
            "in_days": 45,
            "places": ["nordstadt"],
            "eligibility": "Initiativen, Vereine und Einrichtungen mit Projekten in der Nordstadt.",
        },
    ),
    (
        "Landesprogramm Soziale Stadt: Nachbarschaftsprojekte",
        BuildingBlock.FUNDING,
        "Förderung für Projekte, die Begegnung und Teilhabe im Quartier schaffen.",
        {
            "department": "Soziales und Wohnen",
            "provider_name": "Landesprogramm Soziale Stadt",
            "amount_min_cents": 2000 * EURO,
            "amount_max_cents": 25000 * EURO,
            "in_days": 90,
            "themes": ["wohnen"],
            "eligibility": "Gemeinnützige Träger; Eigenanteil 10 Prozent.",
        },
    ),
    (
        "Bürgerstiftung Musterstadt: Kleinprojekte",
        BuildingBlock.FUNDING,
        "Bis zu 1.500 Euro für gute Ideen aus der Bürgerschaft – schnell und unbürokratisch.",
        {
            "provider_name": "Bürgerstiftung Musterstadt",
            "amount_max_cents": 1500 * EURO,
            "in_days": 12,
            "eligibility": "Alle Gruppen aus Musterstadt mit einem gemeinnützigen Zweck.",
        },
    ),
    (
        "Klimafonds: Grün im Quartier",
        BuildingBlock.FUNDING,
        "Zuschüsse für Hochbeete, Baumscheiben und begrünte Höfe.",
        {
            "department": "Grünflächen und Umwelt",
            "amount_min_cents": 500 * EURO,
            "amount_max_cents": 10000 * EURO,
            "in_days": 30,
            "themes": ["oeffentlicher-raum"],
            "expired": True,
        },
    ),
    (
        "Workshop-Reihe: Moderation im Quartier",
        BuildingBlock.QUALIFICATION,
        "Drei Abende, an denen Sie lernen, Treffen gut zu leiten – auch wenn es hoch hergeht.",
        {"department": "Bürgerbeteiligung", "in_days": 30, "target_group": "Engagierte"},
    ),
    (
        "Fit für den Verein: Finanzen und Förderanträge",
        BuildingBlock.QUALIFICATION,
        "Kassenführung, Spendenquittungen, Verwendungsnachweis: Ehrenamtliche schulen "
        "Ehrenamtliche.",
        {"organisation": "Bürgerverein Altstadt e.V.", "target_group": "Vereinsvorstände"},
    ),
    (
        "Quartiersnetzwerk Am Hafen",
        BuildingBlock.NETWORKING,
        "Einmal im Monat: Wer am Hafen etwas bewegt, trifft sich und plant gemeinsam.",
        {
            "organisation": "Hafen-Wohnungsgenossenschaft eG",
            "places": ["am-hafen"],
            "target_group": "Nachbar*innen, Vereine, Gewerbe am Hafen",
        },
    ),
    (
        "Erfahrungsaustausch Mobilität: Radentscheid trifft Verwaltung",
        BuildingBlock.NETWORKING,
        "Initiativen und Verkehrsplanung tauschen sich aus: was woanders funktioniert hat.",
        {
            "organisation": "Initiative Radentscheid Musterstadt",
            "department": "Tiefbau und Verkehr",
            "in_days": 60,
            "themes": ["mobilitaet"],
        },
    ),
]
# (offer title, project slug or initiative title, the initiator's e-mail or None, note)
LINKS = [
    (
        "Landesprogramm Soziale Stadt: Nachbarschaftsprojekte",
        "quartierstreff-nordstadt",
        None,
        "Antrag für die Einrichtung des Treffs ist gestellt.",
    ),
    (
        "Erfahrungsaustausch Mobilität: Radentscheid trifft Verwaltung",
        "fahrradstrasse-hafenallee",
        None,
        "",
    ),
    (
        "Verfügungsfonds Nordstadt",
        "Reparatur-Café in der Nordstadt",
        "verein@musterstadt.example",
        "Für Werkzeug und Ersatzteile.",
    ),
    (
        "Klimafonds: Grün im Quartier",
        "Gemeinschaftsgarten am Güterbahnhof",
        "buergerin@musterstadt.example",
        "Zuschuss für die Hochbeete bewilligt.",
    ),
    (
        "Bürgerstiftung Musterstadt: Kleinprojekte",
        "Offener Bücherschrank am Marktplatz",
        "leseratte@musterstadt.example",
        "",
    ),
]


def seed_support(municipality: Municipality, *, now: datetime.datetime) -> None:
    """The catalogue of ``municipality`` (Musterstadt's departments, organisations and demo
    people); nothing when it has offers already."""
    if SupportOffer.objects.filter(municipality=municipality).exists():
        return
    today = timezone.localtime(now).date()
    coordination = User.objects.get(email=COORDINATION)
    departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
    organisations = {o.name: o for o in Organisation.objects.filter(municipality=municipality)}
    places = {n.slug: n for n in Neighbourhood.objects.filter(municipality=municipality)}
    topics = {t.slug: t for t in Topic.objects.filter(municipality=municipality)}
    offers: dict[str, SupportOffer] = {}
    expire = []
    for number, (title, block, summary, spec) in enumerate(OFFERS):
        extra = dict(spec)
        days = extra.pop("in_days", None)
        if extra.pop("expired", False):
            expire.append(title)
        department = extra.pop("department", None)
        organisation = extra.pop("organisation", None)
        entered = now - datetime.timedelta(days=max(_FIRST_DAYS_AGO - number * _EVERY, 2))
        with happened_at(entered, (SupportOffer, "created_at"), (SupportOffer, "updated_at")):
            offers[title] = services.support_offer_create(
                actor=coordination,
                municipality=municipality,
                neighbourhoods=[places[slug] for slug in extra.pop("places", [])],
                topics=[topics[slug] for slug in extra.pop("themes", [])],
                title=title,
                building_block=block,
                summary=summary,
                description=f"{summary}\n\nFragen Sie uns – wir helfen gern weiter.",
                department=departments.get(department),
                organisation=organisations.get(organisation),
                deadline=today + datetime.timedelta(days=days) if days else None,
                contact_name="Koordinationsstelle Bürgerbeteiligung",
                contact_email="beteiligung@musterstadt.example",
                contact_phone="05555 100-150",
                contact_url="https://musterstadt.example/unterstuetzung",
                state=OfferState.PUBLISHED,
                **extra,
            )
    for title, target, initiator, note in LINKS:
        offer = offers[title]
        if initiator is None:
            project = Project.objects.get(municipality=municipality, slug=target)
            # Linked a few days after the later of the two was there.
            with happened_at(_soon_after(offer, project, now), (SupportLink, "linked_at")):
                services.support_link_create(
                    actor=coordination, offer=offer, project=project, note=note
                )
        else:
            initiative = Initiative.objects.get(municipality=municipality, title=target)
            with happened_at(_soon_after(offer, initiative, now), (SupportLink, "linked_at")):
                services.support_link_create(
                    actor=User.objects.get(email=initiator),
                    offer=offer,
                    initiative=initiative,
                    note=note,
                )
    # An offer whose deadline passed since it was linked: the catalogue lists it last, and it
    # can no longer be linked. (No service sets a past deadline; time does.)
    SupportOffer.objects.filter(municipality=municipality, title__in=expire).update(
        deadline=today - datetime.timedelta(days=20)
    )


def _soon_after(
    offer: SupportOffer, target: Project | Initiative, now: datetime.datetime
) -> datetime.datetime:
    """Three days after the later of ``offer`` and ``target`` came about, and not after
    ``now``."""
    offered = SupportOffer.objects.values_list("created_at", flat=True).get(pk=offer.pk)
    return min(max(offered, target.created_at) + datetime.timedelta(days=3), now)

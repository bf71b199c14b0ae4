"""Events, initiatives and organisations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koproduktion.core.links import absolute_url
from koproduktion.core.models import Municipality, Organisation
from koproduktion.events.models import Event
from koproduktion.initiatives.models import Initiative, State

from ..datasets import Column, Dataset, register
from .common import (
    ID,
    LATITUDE,
    LONGITUDE,
    NEIGHBOURHOOD,
    TOPIC,
    URL,
    name_of,
    slug_of,
)


def _public_events(town: Municipality) -> QuerySet[Event]:
    return Event.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True),
        municipality=town,
        is_published=True,
    )


def _events(town: Municipality) -> Iterator[list[Any]]:
    events = _public_events(town).select_related("neighbourhood", "department", "organisation")
    for event in events.order_by("starts_at", "pk"):
        yield [
            event.pk,
            event.project_id,
            event.title,
            event.description,
            event.kind,
            event.status,
            event.starts_at,
            event.ends_at,
            event.venue,
            event.address,
            event.latitude,
            event.longitude,
            slug_of(event.neighbourhood),
            event.step_free,
            event.hearing_loop,
            event.sign_language,
            event.childcare,
            event.accessibility,
            event.capacity,
            name_of(event.department),
            name_of(event.organisation),
            event.cancel_reason,
            absolute_url(reverse("events:detail", args=[town.slug, event.pk])),
        ]


register(
    Dataset(
        name="events",
        title=_("Veranstaltungen"),
        description=_("Veröffentlichte Veranstaltungen: Werkstätten, Infoabende, Rundgänge."),
        columns=(
            ID,
            Column(
                "project_id", "integer", _("Vorhaben (projects.id); leer für die ganze Kommune.")
            ),
            Column("title", "string", _("Titel.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("kind", "string", _("Art der Veranstaltung.")),
            Column("status", "string", _("Stand: findet statt oder abgesagt.")),
            Column("starts_at", "datetime", _("Beginn (UTC).")),
            Column("ends_at", "datetime", _("Ende (UTC).")),
            Column("venue", "string", _("Veranstaltungsort.")),
            Column("address", "string", _("Adresse.")),
            LATITUDE,
            LONGITUDE,
            NEIGHBOURHOOD,
            Column("step_free", "boolean", _("Stufenloser Zugang.")),
            Column("hearing_loop", "boolean", _("Induktionsschleife.")),
            Column("sign_language", "boolean", _("Gebärdensprache auf Anfrage.")),
            Column("childcare", "boolean", _("Kinderbetreuung.")),
            Column("accessibility", "string", _("Weitere Hinweise zur Barrierefreiheit.")),
            Column("capacity", "integer", _("Plätze; leer ohne Grenze.")),
            Column("department", "string", _("Veranstaltender Fachbereich.")),
            Column("organisation", "string", _("Veranstaltende Organisation.")),
            Column("cancel_reason", "string", _("Grund der Absage.")),
            URL,
        ),
        rows=_events,
        source=lambda town: Event.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("is_published", filter=Q(is_published=True))),
    )
)


def _public_initiatives(town: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.filter(municipality=town).exclude(state=State.DRAFT)


def _initiatives(town: Municipality) -> Iterator[list[Any]]:
    initiatives = _public_initiatives(town).select_related(
        "neighbourhood", "topic", "organisation", "partner_department", "project"
    )
    for initiative in initiatives.order_by("created_at", "pk"):
        project = initiative.project
        yield [
            initiative.pk,
            initiative.slug,
            initiative.title,
            initiative.summary,
            initiative.why,
            initiative.help_needed,
            initiative.state,
            slug_of(initiative.neighbourhood),
            slug_of(initiative.topic),
            name_of(initiative.organisation),
            initiative.support_count,
            name_of(initiative.partner_department),
            project.pk if project is not None and project.is_published else None,
            initiative.created_at,
            absolute_url(reverse("initiatives:detail", args=[town.slug, initiative.slug])),
        ]


register(
    Dataset(
        name="initiatives",
        title=_("Initiativen"),
        description=_(
            "Vorhaben, die Bürger*innen oder Organisationen vorschlagen; ohne Entwürfe und ohne "
            "die Namen der Initiator*innen."
        ),
        columns=(
            ID,
            Column("slug", "string", _("Kurzname in der Adresse.")),
            Column("title", "string", _("Titel.")),
            Column("summary", "string", _("Kurzbeschreibung.")),
            Column("why", "string", _("Warum (Markdown).")),
            Column("help_needed", "string", _("Wobei Hilfe gebraucht wird (Markdown).")),
            Column(
                "state",
                "string",
                _("Stand: collecting, requested, accepted, declined oder withdrawn."),
            ),
            NEIGHBOURHOOD,
            TOPIC,
            Column("organisation", "string", _("Tragende Organisation.")),
            Column("support_count", "integer", _("Zahl der Unterstützer*innen.")),
            Column("partner_department", "string", _("Partner-Fachbereich der Verwaltung.")),
            Column("project_id", "integer", _("Das Vorhaben, das daraus wurde (projects.id).")),
            Column("created_at", "datetime", _("Gestartet (UTC).")),
            URL,
        ),
        rows=_initiatives,
        source=lambda town: Initiative.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("updated_at")),
    )
)


def _confirmed_organisations(town: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipality=town, verified_at__isnull=False)


def _organisations(town: Municipality) -> Iterator[list[Any]]:
    organisations = _confirmed_organisations(town).prefetch_related("neighbourhoods", "topics")
    for organisation in organisations.order_by("name", "pk"):
        yield [
            organisation.pk,
            organisation.slug,
            organisation.name,
            organisation.kind,
            organisation.description,
            organisation.website,
            " ".join(sorted(place.slug for place in organisation.neighbourhoods.all())),
            " ".join(sorted(topic.slug for topic in organisation.topics.all())),
            organisation.verified_at,
            absolute_url(reverse("actors:profile", args=[town.slug, organisation.slug]))
            if organisation.slug
            else "",
        ]


register(
    Dataset(
        name="organisations",
        title=_("Organisationen"),
        description=_(
            "Die bestätigten Organisationen vor Ort: Vereine, Initiativen, Schulen und mehr. "
            "Ohne Kontaktangaben; die stehen auf dem Profil."
        ),
        columns=(
            ID,
            Column("slug", "string", _("Kurzname in der Adresse.")),
            Column("name", "string", _("Name.")),
            Column("kind", "string", _("Art der Organisation.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("website", "string", _("Website.")),
            Column(
                "neighbourhoods", "string", _("Quartiere (Kurznamen), durch Leerzeichen getrennt.")
            ),
            Column("topics", "string", _("Themen (Kurznamen), durch Leerzeichen getrennt.")),
            Column("verified_at", "datetime", _("Von der Kommune bestätigt (UTC).")),
            URL,
        ),
        rows=_organisations,
        source=lambda town: Organisation.objects.filter(municipality=town),
        # Edits of a profile raise the town's version, which the fingerprint holds.
        stamp=(Count("pk"), Max("pk"), Count("verified_at")),
    )
)

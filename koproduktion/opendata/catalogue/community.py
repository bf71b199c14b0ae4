"""Events, initiatives and organisations."""

from __future__ import annotations

from collections.abc import Callable

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
    name_column,
    url_column,
)


def _public_events(town: Municipality) -> QuerySet[Event]:
    return Event.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True),
        municipality=town,
        is_published=True,
    )


def _events(town: Municipality) -> QuerySet[Event]:
    return (
        _public_events(town)
        .select_related("neighbourhood", "department", "organisation")
        .order_by("starts_at", "pk")
    )


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
            name_column("department", _("Veranstaltender Fachbereich."), of="department"),
            name_column("organisation", _("Veranstaltende Organisation."), of="organisation"),
            Column("cancel_reason", "string", _("Grund der Absage.")),
            url_column("events:detail", lambda event: event.pk),
        ),
        records=_events,
        source=lambda town: Event.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("is_published", filter=Q(is_published=True))),
    )
)


def _public_initiatives(town: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.filter(municipality=town).exclude(state=State.DRAFT)


def _initiatives(town: Municipality) -> QuerySet[Initiative]:
    return (
        _public_initiatives(town)
        .select_related("neighbourhood", "topic", "organisation", "partner_department", "project")
        .order_by("created_at", "pk")
    )


def _published_project_id(initiative: Initiative, _town: Municipality) -> int | None:
    project = initiative.project
    return project.pk if project is not None and project.is_published else None


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
            name_column("organisation", _("Tragende Organisation."), of="organisation"),
            Column("support_count", "integer", _("Zahl der Unterstützer*innen.")),
            name_column(
                "partner_department",
                _("Partner-Fachbereich der Verwaltung."),
                of="partner_department",
            ),
            Column(
                "project_id",
                "integer",
                _("Das Vorhaben, das daraus wurde (projects.id)."),
                _published_project_id,
            ),
            Column("created_at", "datetime", _("Gestartet (UTC).")),
            url_column("initiatives:detail", lambda initiative: initiative.slug),
        ),
        records=_initiatives,
        source=lambda town: Initiative.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("updated_at")),
    )
)


def _confirmed_organisations(town: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipality=town, verified_at__isnull=False)


def _organisations(town: Municipality) -> QuerySet[Organisation]:
    return (
        _confirmed_organisations(town)
        .prefetch_related("neighbourhoods", "topics")
        .order_by("name", "pk")
    )


def _slugs(related: str) -> Callable[[Organisation, Municipality], str]:
    return lambda organisation, _town: " ".join(
        sorted(record.slug for record in getattr(organisation, related).all())
    )


def _profile(organisation: Organisation, town: Municipality) -> str:
    if not organisation.slug:
        return ""
    return absolute_url(reverse("actors:profile", args=[town.slug, organisation.slug]))


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
                "neighbourhoods",
                "string",
                _("Quartiere (Kurznamen), durch Leerzeichen getrennt."),
                _slugs("neighbourhoods"),
            ),
            Column(
                "topics",
                "string",
                _("Themen (Kurznamen), durch Leerzeichen getrennt."),
                _slugs("topics"),
            ),
            Column("verified_at", "datetime", _("Von der Kommune bestätigt (UTC).")),
            Column("url", "string", _("Adresse der öffentlichen Seite."), _profile),
        ),
        records=_organisations,
        source=lambda town: Organisation.objects.filter(municipality=town),
        # Edits of a profile raise the town's version, which the fingerprint holds.
        stamp=(Count("pk"), Max("pk"), Count("verified_at")),
    )
)

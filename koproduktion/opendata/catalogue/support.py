"""The support catalogue's published offers."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.support.models import OfferState, SupportOffer

from ..datasets import Column, Dataset, register
from .common import ID, name_column, url_column


def _offers(town: Municipality) -> QuerySet[SupportOffer]:
    return (
        SupportOffer.objects.filter(municipality=town, state=OfferState.PUBLISHED)
        .select_related("organisation", "department")
        .prefetch_related("neighbourhoods")
        .order_by("pk")
    )


register(
    Dataset(
        name="support_offers",
        title=_("Unterstützungsangebote"),
        description=_(
            "Veröffentlichte Angebote des Unterstützungskatalogs: Information, Beratung, "
            "Förderung, Qualifizierung, Vernetzung. Ansprechpersonen stehen auf der Seite des "
            "Angebots."
        ),
        columns=(
            ID,
            Column("title", "string", _("Titel.")),
            Column("building_block", "string", _("Baustein (Kurzname).")),
            Column("summary", "string", _("Kurzbeschreibung.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("provider_name", "string", _("Anbieter, wenn keine Organisation der Kommune.")),
            name_column("organisation", _("Anbietende Organisation."), of="organisation"),
            name_column("department", _("Zuständiger Fachbereich."), of="department"),
            Column("target_group", "string", _("Zielgruppe.")),
            Column("eligibility", "string", _("Wer antragsberechtigt ist.")),
            Column("amount_min_cents", "integer", _("Fördersumme ab, in Cent; leer ohne.")),
            Column("amount_max_cents", "integer", _("Fördersumme bis, in Cent; leer ohne.")),
            Column("deadline", "date", _("Frist; leer, wenn laufend.")),
            Column(
                "neighbourhoods",
                "string",
                _("Quartiere (Kurznamen, durch Leerzeichen getrennt); leer für die ganze Kommune."),
                lambda offer, _town: " ".join(n.slug for n in offer.neighbourhoods.all()),
            ),
            Column(
                "website", "string", _("Webseite des Angebots."), lambda o, _town: o.contact_url
            ),
            url_column("support:detail", lambda offer: offer.pk),
        ),
        records=_offers,
        source=lambda town: SupportOffer.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("updated_at")),
    )
)

"""Local actors in the API, read-only: a town's confirmed organisations (filters as on the page)
and one organisation's profile with what it does on the platform. Unconfirmed organisations are
not in the API."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from koproduktion.api.filters import neighbourhood_or_400, topic_or_400
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.models import Municipality, Organisation

from .selectors import directory, organisation_activity

router = Router(tags=["Akteure vor Ort"])


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: Organisation.Kind
    neighbourhoods: list[str] = Field(description="Kurznamen der Quartiere.")
    topics: list[str] = Field(description="Kurznamen der Themen.")
    url: str

    @staticmethod
    def resolve_neighbourhoods(organisation: Organisation) -> list[str]:
        return [place.slug for place in organisation.neighbourhoods.all()]

    @staticmethod
    def resolve_topics(organisation: Organisation) -> list[str]:
        return [topic.slug for topic in organisation.topics.all()]

    @staticmethod
    def resolve_url(organisation: Organisation) -> str:
        from .services import organisation_url  # noqa: PLC0415 - URLs load after the API

        return organisation_url(organisation)


class CommitmentOut(Schema):
    task: str
    project: str = Field(description="Kurzname des Vorhabens.")
    starts_at: str | None = Field(description="Beginn der Schicht oder Tag der Aufgabe.")
    people: int


class RegistrationOut(Schema):
    event: int
    title: str
    starts_at: str
    people: int


class SponsorshipOut(Schema):
    object: str
    term_start: str | None
    term_end: str | None


class OfferOut(Schema):
    id: int
    title: str
    building_block: str
    deadline: str | None


class InitiativeOut(Schema):
    slug: str
    title: str
    state: str
    support_count: int


class OrganisationDetailOut(OrganisationOut):
    description: str
    website: str
    contact_email: str
    contact_phone: str
    contact_address: str
    verified_at: str
    commitments: list[CommitmentOut]
    event_registrations: list[RegistrationOut]
    events_organised: list[int] = Field(description="Ids der Veranstaltungen, die sie ausrichtet.")
    sponsorships: list[SponsorshipOut]
    support_offers: list[OfferOut] = Field(
        description="Veröffentlichte Angebote im Unterstützungskatalog, nächste Frist zuerst."
    )
    initiatives: list[InitiativeOut] = Field(description="In ihrem Namen gestartete Initiativen.")

    @staticmethod
    def resolve_verified_at(organisation: Organisation) -> str:
        return organisation.verified_at.isoformat()

    @staticmethod
    def resolve_commitments(organisation: Organisation) -> list[dict]:
        return [
            {
                "task": commitment.task.title,
                "project": commitment.project.slug,
                "starts_at": (
                    commitment.shift.starts_at.isoformat()
                    if commitment.shift_id
                    else (commitment.task.date.isoformat() if commitment.task.date else None)
                ),
                "people": commitment.people,
            }
            for commitment in organisation.activity.commitments
        ]

    @staticmethod
    def resolve_event_registrations(organisation: Organisation) -> list[dict]:
        return [
            {
                "event": registration.event_id,
                "title": registration.event.title,
                "starts_at": registration.event.starts_at.isoformat(),
                "people": registration.people,
            }
            for registration in organisation.activity.registrations
        ]

    @staticmethod
    def resolve_events_organised(organisation: Organisation) -> list[int]:
        return [event.pk for event in organisation.activity.organised]

    @staticmethod
    def resolve_sponsorships(organisation: Organisation) -> list[dict]:
        return [
            {
                "object": sponsorship.object.name,
                "term_start": sponsorship.term_start.isoformat()
                if sponsorship.term_start
                else None,
                "term_end": sponsorship.term_end.isoformat() if sponsorship.term_end else None,
            }
            for sponsorship in organisation.activity.sponsorships
        ]

    @staticmethod
    def resolve_support_offers(organisation: Organisation) -> list[dict]:
        return [
            {
                "id": offer.pk,
                "title": offer.title,
                "building_block": offer.building_block,
                "deadline": offer.deadline.isoformat() if offer.deadline else None,
            }
            for offer in organisation.activity.offers
        ]

    @staticmethod
    def resolve_initiatives(organisation: Organisation) -> list[dict]:
        return [
            {
                "slug": initiative.slug,
                "title": initiative.title,
                "state": initiative.state,
                "support_count": initiative.support_count,
            }
            for initiative in organisation.activity.initiatives
        ]


class OrganisationQuery(Schema):
    kind: Organisation.Kind | None = None
    neighbourhood: str | None = Field(None, max_length=80, description="Kurzname des Quartiers.")
    topic: str | None = Field(None, max_length=80, description="Kurzname des Themas.")


def _town(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_public=True)


@router.get("/municipalities/{slug}/organisations", response=list[OrganisationOut])
@paginate(PageNumbers, page_size=50)
def list_organisations(request: HttpRequest, slug: str, filters: Query[OrganisationQuery]):
    """The town's confirmed organisations by name. An unknown quartier or topic answers 400
    with the reason."""
    municipality = _town(slug)
    neighbourhood = neighbourhood_or_400(municipality, filters.neighbourhood)
    topic = topic_or_400(municipality, filters.topic)
    return directory(
        municipality=municipality,
        kind=filters.kind,
        neighbourhood=neighbourhood,
        topic=topic,
    )


@router.get(
    "/municipalities/{slug}/organisations/{organisation_slug}", response=OrganisationDetailOut
)
def get_organisation(request: HttpRequest, slug: str, organisation_slug: str) -> Organisation:
    municipality = _town(slug)
    organisation = directory(municipality=municipality).filter(slug=organisation_slug).first()
    if organisation is None:
        raise Http404
    organisation.municipality = municipality
    # The API speaks for visitors: what everyone may see, whoever asks.
    organisation.activity = organisation_activity(organisation=organisation, user=AnonymousUser())
    return organisation

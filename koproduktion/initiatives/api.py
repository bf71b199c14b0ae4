"""Public initiatives and open needs in the API, and supporting an initiative (a person logged
in or with an API token, through the same service as the page).

Starting one and offering help stay on the site's pages: the pages say what each step means
(who sees a contact, when).
"""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from koproduktion.api.auth import session_or_token
from koproduktion.api.filters import neighbourhood_or_400
from koproduktion.api.openapi import Detail
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.models import Municipality, Topic

from . import services
from .models import Initiative, Need, NeedKind, State
from .selectors import open_needs, public_initiatives

router = Router(tags=["Initiativen"])


class InitiativeOut(Schema):
    slug: str
    title: str
    summary: str
    state: State
    support_count: int
    neighbourhood: str | None = Field(None, description="Kurzname des Quartiers.")
    topic: str | None = Field(None, description="Kurzname des Themas.")
    organisation: str | None = Field(None, description="Name der Organisation.")
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_neighbourhood(initiative: Initiative) -> str | None:
        return initiative.neighbourhood.slug if initiative.neighbourhood_id else None

    @staticmethod
    def resolve_topic(initiative: Initiative) -> str | None:
        return initiative.topic.slug if initiative.topic_id else None

    @staticmethod
    def resolve_organisation(initiative: Initiative) -> str | None:
        return initiative.organisation.name if initiative.organisation_id else None

    @staticmethod
    def resolve_url(initiative: Initiative) -> str:
        from .services import initiative_url  # noqa: PLC0415 - URLs load after the API

        return initiative_url(initiative)


class NeedOut(Schema):
    id: int
    initiative: str = Field(description="Kurzname der Initiative.")
    kind: NeedKind
    description: str
    quantity: int
    accepted: int = Field(alias="accepted_count")
    when: str
    open: bool = Field(alias="is_open")

    @staticmethod
    def resolve_initiative(need: Need) -> str:
        return need.initiative.slug


class InitiativeDetailOut(InitiativeOut):
    why: str
    help_needed: str
    initiators: list[str]
    partner_department: str | None
    contact_person: str | None
    project: str | None = Field(None, description="Kurzname des Vorhabens, wenn veröffentlicht.")
    decline_reason: str
    needs: list[NeedOut]

    @staticmethod
    def resolve_initiators(initiative: Initiative) -> list[str]:
        return [str(person.user) for person in initiative.members]

    @staticmethod
    def resolve_partner_department(initiative: Initiative) -> str | None:
        return initiative.partner_department.name if initiative.partner_department_id else None

    @staticmethod
    def resolve_contact_person(initiative: Initiative) -> str | None:
        return str(initiative.contact_person) if initiative.contact_person_id else None

    @staticmethod
    def resolve_project(initiative: Initiative) -> str | None:
        project = initiative.project
        return project.slug if project is not None and project.is_published else None

    @staticmethod
    def resolve_needs(initiative: Initiative) -> list[Need]:
        return list(initiative.needs.order_by("pk"))


class InitiativeQuery(Schema):
    state: State | None = None
    neighbourhood: str | None = Field(None, max_length=80, description="Kurzname des Quartiers.")
    topic: str | None = Field(None, max_length=80, description="Kurzname des Themas.")


class NeedQuery(Schema):
    kind: NeedKind | None = None


def _town(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_public=True)


@router.get("/municipalities/{slug}/initiatives", response=list[InitiativeOut])
@paginate(PageNumbers, page_size=50)
def list_initiatives(request: HttpRequest, slug: str, filters: Query[InitiativeQuery]):
    """Initiatives of the town past their draft, newest first. An unknown state, quartier or
    topic answers 400 (or 422) with the reason."""
    municipality = _town(slug)
    initiatives = public_initiatives(municipality=municipality)
    if filters.state == State.DRAFT:
        raise HttpError(400, _("Entwürfe sind nicht öffentlich."))
    if filters.state:
        initiatives = initiatives.filter(state=filters.state)
    if filters.neighbourhood:
        initiatives = initiatives.filter(
            neighbourhood=neighbourhood_or_400(municipality, filters.neighbourhood)
        )
    if filters.topic:
        topic = Topic.objects.filter(municipality=municipality, slug=filters.topic).first()
        if topic is None:
            raise HttpError(400, _("Dieses Thema gibt es hier nicht."))
        initiatives = initiatives.filter(topic=topic)
    return initiatives


@router.get("/municipalities/{slug}/initiatives/{initiative_slug}", response=InitiativeDetailOut)
def get_initiative(request: HttpRequest, slug: str, initiative_slug: str) -> Initiative:
    initiative = (
        public_initiatives(municipality=_town(slug))
        .select_related("partner_department", "contact_person")
        .filter(slug=initiative_slug)
        .first()
    )
    if initiative is None:
        raise Http404
    return initiative


@router.get("/municipalities/{slug}/needs", response=list[NeedOut])
@paginate(PageNumbers, page_size=50)
def list_needs(request: HttpRequest, slug: str, filters: Query[NeedQuery]):
    """Open needs (Gesucht) of the town's initiatives, newest first."""
    return open_needs(municipality=_town(slug), kind=filters.kind)


class SupportOut(Schema):
    initiative: str
    supported: bool = Field(description="Ob die Person sie jetzt unterstützt.")
    support_count: int


def _public(slug: str, initiative_slug: str) -> Initiative:
    initiative = public_initiatives(municipality=_town(slug)).filter(slug=initiative_slug).first()
    if initiative is None:
        raise Http404
    return initiative


@router.post(
    "/municipalities/{slug}/initiatives/{initiative_slug}/support",
    auth=session_or_token,
    response={200: SupportOut, 400: Detail, 403: Detail, 404: Detail},
)
def support(request: HttpRequest, slug: str, initiative_slug: str) -> dict:
    """Support the initiative, once per person, while it collects support; refusals answer
    400 (already supporting) or 403 (not of the town, or not collecting) with the reason."""
    initiative = _public(slug, initiative_slug)
    services.initiative_support(actor=request.user, initiative=initiative)
    return {
        "initiative": initiative.slug,
        "supported": True,
        "support_count": initiative.support_count,
    }


@router.delete(
    "/municipalities/{slug}/initiatives/{initiative_slug}/support",
    auth=session_or_token,
    response={200: SupportOut, 404: Detail},
)
def unsupport(request: HttpRequest, slug: str, initiative_slug: str) -> dict:
    """Take one's support back; 404 where there was none."""
    initiative = _public(slug, initiative_slug)
    if not services.initiative_unsupport(actor=request.user, initiative=initiative):
        raise HttpError(404, _("Sie unterstützen diese Initiative nicht."))
    return {
        "initiative": initiative.slug,
        "supported": False,
        "support_count": initiative.support_count,
    }

"""Ideas, their discussion and supports: read for everyone, write with a session or API key.

Writes go through the same services as the pages, so the same rules, limits and checks apply.
"""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from koproduktion.api.auth import session_or_token
from koproduktion.api.cache import cached_for_visitors
from koproduktion.api.openapi import Detail
from koproduktion.api.pagination import MAX_PAGE, PageNumbers
from koproduktion.core.ratelimit import client_ip
from koproduktion.core.selectors import neighbourhood_list, topic_list
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.dialogue.selectors import comment_list
from koproduktion.dialogue.services import comment_create
from koproduktion.projects.views import project_for_request

from . import services
from .geo import FEATURE_FIELDS, ideas_geojson
from .models import TEXT_MAX, TITLE_MAX, Idea, IdeaStatus
from .selectors import IdeaFilters, idea_get, idea_list
from .versions import idea_api_version, ideas_api_version

router = Router(tags=["Ideen"])
GEOJSON_PAGE = 500
BASE = "/municipalities/{slug}/projects/{project_slug}/ideas"


class IdeaOut(Schema):
    id: int
    title: str | None = Field(description="Leer, wenn die Moderation die Idee ausgeblendet hat.")
    text: str | None
    status: IdeaStatus
    author: str | None
    source: str
    topic: str | None
    neighbourhood: str | None
    latitude: float | None
    longitude: float | None
    address: str
    supports: int
    comments: int
    created_at: datetime.datetime
    withdrawn: bool
    hidden_reason: str | None

    @staticmethod
    def resolve_title(idea: Idea) -> str | None:
        return None if idea.is_hidden else idea.title

    @staticmethod
    def resolve_text(idea: Idea) -> str | None:
        return None if idea.is_hidden else idea.text

    @staticmethod
    def resolve_author(idea: Idea) -> str | None:
        return None if idea.is_hidden else idea.byline

    @staticmethod
    def resolve_topic(idea: Idea) -> str | None:
        return idea.topic.slug if idea.topic else None

    @staticmethod
    def resolve_neighbourhood(idea: Idea) -> str | None:
        return idea.neighbourhood.slug if idea.neighbourhood else None

    @staticmethod
    def resolve_supports(idea: Idea) -> int:
        return idea.support_count

    @staticmethod
    def resolve_comments(idea: Idea) -> int:
        return idea.comment_count

    @staticmethod
    def resolve_withdrawn(idea: Idea) -> bool:
        return idea.withdrawn_at is not None

    @staticmethod
    def resolve_hidden_reason(idea: Idea) -> str | None:
        return idea.hidden_reason if idea.is_hidden else None


class IdeaQuery(Schema):
    status: IdeaStatus | None = None
    topic: str | None = None
    neighbourhood: str | None = None
    order: Literal["neu", "unterstuetzt"] = "neu"


class IdeaIn(Schema):
    title: str = Field(max_length=TITLE_MAX)
    text: str = Field(max_length=TEXT_MAX)
    topic: str | None = None
    neighbourhood: str | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=200)


class CommentOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    stance: Stance
    text: str | None
    author: str | None
    official: bool = Field(alias="is_official")
    created_at: datetime.datetime
    hidden_reason: str | None

    @staticmethod
    def resolve_text(comment: Comment) -> str | None:
        return None if comment.is_hidden else comment.text

    @staticmethod
    def resolve_author(comment: Comment) -> str | None:
        return None if comment.is_hidden else comment.byline

    @staticmethod
    def resolve_hidden_reason(comment: Comment) -> str | None:
        return comment.hidden_reason if comment.is_hidden else None


class CommentIn(Schema):
    text: str = Field(max_length=3000)
    stance: Stance = Stance.NEUTRAL
    parent: int | None = None
    official: bool = False


class SupportOut(Schema):
    supports: int


def _by_slug(queryset: Any, slug: str | None, what: str) -> Any:
    if not slug:
        return None
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise HttpError(400, _("Unbekannt (%(what)s): %(slug)s") % {"what": what, "slug": slug})
    return found


def _filters(project: Any, query: IdeaQuery) -> IdeaFilters:
    town = project.municipality
    return IdeaFilters(
        status=query.status,
        topic=_by_slug(topic_list(municipality=town), query.topic, _("Thema")),
        neighbourhood=_by_slug(
            neighbourhood_list(municipality=town), query.neighbourhood, _("Quartier")
        ),
        order=query.order,
    )


@router.get(BASE, response=list[IdeaOut])
@cached_for_visitors(ideas_api_version, everyone=True)
@paginate(PageNumbers, page_size=20)
def list_ideas(request: HttpRequest, slug: str, project_slug: str, query: Query[IdeaQuery]):
    project = project_for_request(request, slug, project_slug, related=False)
    return idea_list(project=project, filters=_filters(project, query))


@router.get(BASE + ".geojson", response=dict, summary="Ideas with a place, as GeoJSON")
@cached_for_visitors(ideas_api_version, everyone=True)
def ideas_geojson_view(
    request: HttpRequest, slug: str, project_slug: str, query: Query[IdeaQuery], page: int = 1
) -> dict[str, Any]:
    """The ideas with a place, 500 per page (``page``); ``next`` is the following page or null."""
    if page < 1:
        raise HttpError(400, _("Die Seite muss 1 oder größer sein."))
    project = project_for_request(request, slug, project_slug, related=False)
    ideas = (
        idea_list(project=project, filters=_filters(project, query))
        .filter(latitude__isnull=False, hidden_at__isnull=True)
        .select_related(None)
        .only(*FEATURE_FIELDS)
    )
    # One more than a page tells whether there is a next one, without counting them all.
    start = (page - 1) * GEOJSON_PAGE
    rows = list(ideas[start : start + GEOJSON_PAGE + 1]) if page <= MAX_PAGE else []
    if page > 1 and not rows:
        raise HttpError(404, _("Diese Seite gibt es nicht."))
    collection = ideas_geojson(rows[:GEOJSON_PAGE], project=project)
    collection["next"] = page + 1 if len(rows) > GEOJSON_PAGE else None
    return collection


@router.get(BASE + "/{idea_id}", response=IdeaOut)
@cached_for_visitors(idea_api_version, everyone=True)
def get_idea(request: HttpRequest, slug: str, project_slug: str, idea_id: int) -> Idea:
    return idea_get(
        project=project_for_request(request, slug, project_slug, related=False), pk=idea_id
    )


@router.get(BASE + "/{idea_id}/comments", response=list[CommentOut])
@cached_for_visitors(idea_api_version, everyone=True)
@paginate(PageNumbers, page_size=50)
def list_comments(request: HttpRequest, slug: str, project_slug: str, idea_id: int):
    idea = idea_get(
        project=project_for_request(request, slug, project_slug, related=False), pk=idea_id
    )
    return comment_list(idea=idea)


@router.post(BASE, response={201: IdeaOut, 429: Detail}, auth=session_or_token)
def create_idea(request: HttpRequest, slug: str, project_slug: str, data: IdeaIn):
    project = project_for_request(request, slug, project_slug, related=False)
    town = project.municipality
    idea = services.idea_create(
        actor=request.user,
        project=project,
        title=data.title,
        text=data.text,
        topic=_by_slug(topic_list(municipality=town), data.topic, _("Thema")),
        neighbourhood=_by_slug(
            neighbourhood_list(municipality=town), data.neighbourhood, _("Quartier")
        ),
        latitude=data.latitude,
        longitude=data.longitude,
        address=data.address,
        ip=client_ip(request),
    )
    return Status(201, idea)


@router.post(
    BASE + "/{idea_id}/comments", response={201: CommentOut, 429: Detail}, auth=session_or_token
)
def create_comment(
    request: HttpRequest, slug: str, project_slug: str, idea_id: int, data: CommentIn
):
    project = project_for_request(request, slug, project_slug, related=False)
    idea = idea_get(project=project, pk=idea_id)
    idea.project = project
    parent = None
    if data.parent is not None:
        parent = get_object_or_404(Comment, idea=idea, pk=data.parent)
    comment = comment_create(
        actor=request.user,
        idea=idea,
        text=data.text,
        stance=data.stance,
        parent=parent,
        official=data.official,
        ip=client_ip(request),
    )
    return Status(201, comment)


@router.post(BASE + "/{idea_id}/support", response={201: SupportOut}, auth=session_or_token)
def support_idea(request: HttpRequest, slug: str, project_slug: str, idea_id: int):
    project = project_for_request(request, slug, project_slug, related=False)
    idea = idea_get(project=project, pk=idea_id)
    idea.project = project
    services.idea_support(actor=request.user, idea=idea)
    return Status(201, {"supports": idea.support_count})


@router.delete(BASE + "/{idea_id}/support", response=SupportOut, auth=session_or_token)
def withdraw_support(request: HttpRequest, slug: str, project_slug: str, idea_id: int):
    project = project_for_request(request, slug, project_slug, related=False)
    idea = idea_get(project=project, pk=idea_id)
    services.idea_unsupport(actor=request.user, idea=idea)
    return {"supports": idea.support_count}

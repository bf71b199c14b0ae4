"""Public API of opinion maps: statements, the latest result, and voting."""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from koproduktion.api.auth import session_or_token
from koproduktion.api.cache import cached_for_visitors
from koproduktion.api.openapi import Detail
from koproduktion.projects.views import project_for_request

from . import selectors, services
from .forms import VOTE_VALUES
from .models import Statement

router = Router(tags=["Meinungsbild"])

PATH = "/municipalities/{slug}/projects/{project_slug}"
VALUE_NAMES = {value: name for name, value in VOTE_VALUES.items()}


class StatementOut(Schema):
    id: int
    text: str
    is_meta: bool
    agrees: int
    disagrees: int
    passes: int


class VoteIn(Schema):
    vote: Literal["agree", "disagree", "pass"]


class VoteOut(Schema):
    statement: int
    vote: Literal["agree", "disagree", "pass"]


class MapParticipantOut(Schema):
    id: int  # opaque: the participant's number in this map, not a user id
    x: float
    y: float
    group: int


class RepresentativeOut(Schema):
    statement: int
    direction: str
    agrees: int
    disagrees: int
    seen: int


class GroupOut(Schema):
    id: int
    size: int
    representative: list[RepresentativeOut]


class ConsensusOut(Schema):
    statement: int
    direction: str
    share: float


class OpinionMapOut(Schema):
    computed_at: datetime.datetime
    votes: int
    participants: list[MapParticipantOut]
    groups: list[GroupOut]
    consensus: list[ConsensusOut]
    divisive: list[int]


@router.get(PATH + "/statements", response=list[StatementOut])
def list_statements(request: HttpRequest, slug: str, project_slug: str) -> list[Statement]:
    project = project_for_request(request, slug, project_slug)
    return list(selectors.statement_list_with_counts(project=project).order_by("pk"))


@router.get(PATH + "/opinion-map", response={200: OpinionMapOut, 404: Detail})
@cached_for_visitors(
    lambda slug, project_slug, **_: selectors.opinion_map_content_version(
        municipality_slug=slug, project_slug=project_slug
    )
)
def get_opinion_map(request: HttpRequest, slug: str, project_slug: str):
    project = project_for_request(request, slug, project_slug)
    opinion_map = selectors.opinion_map_get(project=project, with_result=True)
    if opinion_map is None or not opinion_map.result:
        raise HttpError(404, _("Für dieses Vorhaben gibt es noch kein berechnetes Meinungsbild."))
    result = opinion_map.result
    # As on the results page: a statement rejected since the computation is left out at once.
    shown = set(selectors.statement_list(project=project).values_list("pk", flat=True))
    return {
        "computed_at": opinion_map.computed_at,
        "votes": opinion_map.votes_at_computation,
        "participants": [p for p in result["participants"] if p["x"] is not None],
        "groups": [
            {
                "id": g["id"],
                "size": len(g["members"]),
                "representative": [
                    {
                        "statement": r["statement"],
                        "direction": r["direction"],
                        "agrees": r["na"],
                        "disagrees": r["nd"],
                        "seen": r["ns"],
                    }
                    for r in g["representative"]
                    if r["statement"] in shown
                ],
            }
            for g in result["groups"]
        ],
        "consensus": [
            {"statement": c["statement"], "direction": d, "share": c["p_success"]}
            for d, items in result["consensus"].items()
            for c in items
            if c["statement"] in shown
        ],
        "divisive": [d["statement"] for d in result.get("divisive", []) if d["statement"] in shown],
    }


@router.post(
    PATH + "/statements/{statement_id}/vote",
    auth=session_or_token,
    response={200: VoteOut, 400: Detail, 403: Detail, 404: Detail},
)
def vote(request: HttpRequest, slug: str, project_slug: str, statement_id: int, payload: VoteIn):
    """Agree, disagree or pass; a second vote on the same statement replaces the first."""
    try:
        statement = selectors.statement_to_vote_on(
            user=request.user,
            municipality_slug=slug,
            project_slug=project_slug,
            statement_id=statement_id,
        )
    except Statement.DoesNotExist:
        raise HttpError(404, _("Diese These gibt es hier nicht.")) from None
    try:
        cast = services.vote_cast(
            actor=request.user, statement=statement, value=VOTE_VALUES[payload.vote]
        )
    except services.OpinionRefused as refused:
        raise HttpError(403, str(refused)) from refused
    except ValidationError as invalid:
        raise HttpError(400, " ".join(invalid.messages)) from invalid
    return {"statement": statement.pk, "vote": VALUE_NAMES[cast.value]}

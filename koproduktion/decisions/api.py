"""Polls, their results (JSON and CSV) and recorded decisions; casting a ballot needs a session or
an API key and passes the same checks as the page."""

import datetime

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from koproduktion.api.auth import session_or_token
from koproduktion.api.openapi import Detail
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.csv_export import csv_response
from koproduktion.core.ratelimit import client_ip
from koproduktion.core.selectors import municipality_get
from koproduktion.projects.selectors import project_get

from .models import Poll, PollKind, ResultsVisibility
from .results import poll_results, results_csv
from .selectors import decision_list
from .services import ballot_cast

router = Router(tags=["Entscheidungen"])
POLLS = "/municipalities/{slug}/projects/{project_slug}/polls"


class OptionOut(Schema):
    id: int
    title: str
    idea: int | None = None
    cost_cents: int | None

    @staticmethod
    def resolve_idea(option) -> int | None:
        return option.idea_id


class PollOut(Schema):
    id: int
    title: str
    kind: PollKind
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    results_visibility: ResultsVisibility
    binding: bool
    neighbourhood: str | None
    min_age: int | None
    max_choices: int | None
    points: int | None
    budget_cents: int | None
    options: list[OptionOut]

    @staticmethod
    def resolve_neighbourhood(poll) -> str | None:
        return poll.neighbourhood.slug if poll.neighbourhood_id else None

    @staticmethod
    def resolve_options(poll) -> list:
        return list(poll.options.all())


class ResultRowOut(Schema):
    rank: int
    option_id: int
    title: str
    votes: int
    score: int
    cost_cents: int | None
    funded: bool | None


class ResultsOut(Schema):
    poll: int
    ballots: int = Field(description="Ballots counted so far.")
    pending: int = Field(
        description="Ballots cast but not yet counted: while a poll runs, ballots are counted "
        "in batches, so that two readings never differ by one person's vote; all count at the "
        "close."
    )
    final: bool
    spent_cents: int | None
    rows: list[ResultRowOut]


class BallotIn(Schema):
    choices: dict[int, int]


class DecisionOut(Schema):
    id: int
    title: str
    project: str | None
    body: str
    body_name: str
    decided_on: datetime.date
    outcome: str
    reasons: str
    ideas: list[int]
    polls: list[int]
    version: int
    minutes_url: str

    @staticmethod
    def resolve_project(decision) -> str | None:
        return decision.project.slug if decision.project_id else None

    @staticmethod
    def resolve_ideas(decision) -> list[int]:
        return [idea.pk for idea in decision.ideas.all()]

    @staticmethod
    def resolve_polls(decision) -> list[int]:
        return [poll.pk for poll in decision.polls.all()]


def _poll(request: HttpRequest, slug: str, project_slug: str, poll_id: int) -> Poll:
    municipality = municipality_get(slug=slug, user=request.user)
    project = project_get(municipality=municipality, slug=project_slug, user=request.user)
    poll = Poll.objects.filter(project=project, pk=poll_id).select_related("neighbourhood").first()
    if poll is None:
        raise HttpError(404, _("Nicht gefunden."))
    poll.project = project
    return poll


def _visible_results(request: HttpRequest, poll: Poll):
    if not rules.test_rule("decisions.can_see_results", request.user, poll):
        raise PermissionDenied(_("Die Ergebnisse erscheinen nach dem Ende der Abstimmung."))
    return poll_results(poll)


@router.get(POLLS, response=list[PollOut])
@paginate(PageNumbers, page_size=50)
def list_polls(request: HttpRequest, slug: str, project_slug: str):
    municipality = municipality_get(slug=slug, user=request.user)
    project = project_get(municipality=municipality, slug=project_slug, user=request.user)
    return (
        Poll.objects.filter(project=project)
        .select_related("neighbourhood")
        .prefetch_related("options")
    )


@router.get(POLLS + "/{poll_id}/results", response={200: ResultsOut, 403: Detail})
def get_results(request: HttpRequest, slug: str, project_slug: str, poll_id: int) -> dict:
    poll = _poll(request, slug, project_slug, poll_id)
    results = _visible_results(request, poll)
    return {
        "poll": poll.pk,
        "ballots": results.ballots,
        "pending": results.pending,
        "final": poll.is_closed(),
        "spent_cents": results.spent_cents,
        "rows": results.rows,
    }


@router.get(
    POLLS + "/{poll_id}/results.csv", response={200: None, 403: Detail}, summary="Results as CSV"
)
def get_results_csv(
    request: HttpRequest, slug: str, project_slug: str, poll_id: int
) -> HttpResponse:
    poll = _poll(request, slug, project_slug, poll_id)
    return HttpResponse(
        results_csv(_visible_results(request, poll)), content_type="text/csv; charset=utf-8"
    )


@router.post(POLLS + "/{poll_id}/ballot", response={201: dict, 429: Detail}, auth=session_or_token)
def cast_ballot(request: HttpRequest, slug: str, project_slug: str, poll_id: int, data: BallotIn):
    poll = _poll(request, slug, project_slug, poll_id)
    ballot_cast(voter=request.user, poll=poll, choices=data.choices, ip=client_ip(request))
    return Status(201, {"detail": _("Ihre Stimme ist abgegeben. Sie bleibt geheim.")})


def _decisions(request: HttpRequest, slug: str, project: str | None):
    municipality = municipality_get(slug=slug, user=request.user)
    only = (
        project_get(municipality=municipality, slug=project, user=request.user) if project else None
    )
    return decision_list(
        municipality=municipality, user=request.user, project=only
    ).prefetch_related("ideas", "polls")


@router.get("/municipalities/{slug}/decisions", response=list[DecisionOut])
@paginate(PageNumbers, page_size=50)
def list_decisions(request: HttpRequest, slug: str, project: str | None = None):
    return _decisions(request, slug, project)


@router.get("/municipalities/{slug}/decisions.csv", summary="The decision log as CSV")
def decisions_csv(request: HttpRequest, slug: str, project: str | None = None) -> HttpResponse:
    header = [
        "id",
        "decided_on",
        "body",
        "body_name",
        "outcome",
        "title",
        "project",
        "reasons",
        "ideas",
        "version",
    ]
    rows = (
        [
            d.pk,
            d.decided_on.isoformat(),
            d.body,
            d.body_name,
            d.outcome,
            d.title,
            d.project.slug if d.project else "",
            d.reasons,
            " ".join(str(i.pk) for i in d.ideas.all()),
            d.version,
        ]
        for d in _decisions(request, slug, project)
    )
    return csv_response([header, *rows])

"""Which record of which app is which act: declared here, once, for recording and rebuilding.

Each ``Source`` names a model, the kind of act a row of it is, and the paths from a row to the
person, the time, the project and the neighbourhood. ``recording.py`` records a row when it is
saved (after its transaction commits), and ``activity_rebuild`` reads all rows of every source
in bulk, both through ``Source.rows``. ``tests/test_sources.py`` lists every source and fails
for a model that points at a person and is neither a source nor listed in ``NOT_ACTS``.

Ballot secrecy: a poll's ``Participation`` (that someone voted, which the voter roll shows
anyway) is the only record of a poll that is read; ballots, and what a person chose in a poll
or an opinion map, never are. An opinion map counts once per person and project (its
``Participant`` row, made at the first vote), not per vote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from koproduktion.decisions.models import Participation
from koproduktion.dialogue.models import Comment
from koproduktion.evaluation.models import SurveyAnswer
from koproduktion.events.models import Registration
from koproduktion.ideas.models import Idea, Support
from koproduktion.implementation.models import Commitment
from koproduktion.initiatives.models import Initiator, NeedOffer, Supporter
from koproduktion.notifications.models import Follow
from koproduktion.opinions.models import Participant, Statement
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus

from .models import Kind


@dataclass(frozen=True)
class Source:
    kind: Kind
    model: type[models.Model]
    user: str  # the path to the person
    at: str  # the path to the act's time
    project: tuple[str, ...] = ()  # paths to the project's id, the first one set counts
    neighbourhood: tuple[str, ...] = ()  # paths to the neighbourhood's id, likewise
    when: Q = field(default_factory=Q)  # which rows are the act
    # Whether a row may become the act after it was made (a task reported done): then every
    # save is looked at, not only the first.
    on_change: bool = False

    def rows(self, queryset: QuerySet | None = None) -> QuerySet:
        """The rows that are acts, as dicts of what an ``Activity`` needs (``pk``,
        ``municipality_id``, ``a_user``, ``a_at``, ``a_project``, ``a_neighbourhood``)."""
        rows = self.model._default_manager.all() if queryset is None else queryset
        return (
            rows.filter(self.when)
            .filter(**{f"{self.user}__isnull": False, f"{self.user}__deleted_at__isnull": True})
            .annotate(
                a_user=F(f"{self.user}_id"),
                a_at=F(self.at),
                a_project=_first(self.project),
                a_neighbourhood=_first(self.neighbourhood),
            )
            .values("pk", "municipality_id", "a_user", "a_at", "a_project", "a_neighbourhood")
        )


def _first(paths: tuple[str, ...]) -> models.Expression:
    if not paths:
        # Typed, for the database: a bare NULL in a subquery is text to PostgreSQL.
        return Cast(Value(None), output_field=models.BigIntegerField())
    if len(paths) == 1:
        return F(paths[0])
    return Coalesce(*paths, output_field=models.BigIntegerField())


SOURCES: tuple[Source, ...] = (
    Source(
        Kind.IDEA,
        Idea,
        user="author",
        at="created_at",
        project=("project_id",),
        neighbourhood=("neighbourhood_id", "project__neighbourhood_id"),
    ),
    Source(
        Kind.COMMENT,
        Comment,
        user="author",
        at="created_at",
        project=("project_id",),
        neighbourhood=("idea__neighbourhood_id", "project__neighbourhood_id"),
    ),
    Source(
        Kind.SUPPORT,
        Support,
        user="user",
        at="created_at",
        project=("idea__project_id",),
        neighbourhood=("idea__neighbourhood_id", "idea__project__neighbourhood_id"),
    ),
    Source(
        Kind.STATEMENT,
        Statement,
        user="author",
        at="created_at",
        project=("project_id",),
        neighbourhood=("project__neighbourhood_id",),
        when=Q(is_seed=False),
    ),
    Source(
        Kind.STATEMENT_VOTE,
        Participant,
        user="user",
        at="created_at",
        project=("project_id",),
        neighbourhood=("project__neighbourhood_id",),
    ),
    Source(
        Kind.POLL_PARTICIPATION,
        Participation,
        user="voter",
        at="voted_at",
        project=("poll__project_id",),
        neighbourhood=("poll__neighbourhood_id", "poll__project__neighbourhood_id"),
    ),
    Source(
        Kind.FOLLOW,
        Follow,
        user="user",
        at="created_at",
        project=("project_id", "idea__project_id"),
        neighbourhood=(
            "project__neighbourhood_id",
            "idea__neighbourhood_id",
            "idea__project__neighbourhood_id",
        ),
    ),
    Source(
        Kind.EVENT_REGISTRATION,
        Registration,
        user="user",
        at="created_at",
        project=("event__project_id",),
        neighbourhood=("event__neighbourhood_id", "event__project__neighbourhood_id"),
    ),
    Source(
        Kind.COMMITMENT,
        Commitment,
        user="user",
        at="created_at",
        project=("project_id",),
        neighbourhood=("project__neighbourhood_id",),
    ),
    Source(
        Kind.TASK_COMPLETED,
        Commitment,
        user="user",
        at="done_at",
        project=("project_id",),
        neighbourhood=("project__neighbourhood_id",),
        when=Q(done_at__isnull=False),
        on_change=True,
    ),
    Source(
        Kind.SPONSORSHIP_APPLICATION,
        Sponsorship,
        user="sponsor",
        at="created_at",
        neighbourhood=("object__neighbourhood_id",),
    ),
    Source(
        Kind.SPONSORSHIP,
        Sponsorship,
        user="sponsor",
        at="decided_at",
        neighbourhood=("object__neighbourhood_id",),
        # Held: agreed, and still counted once it ended.
        when=Q(
            status__in=[SponsorshipStatus.APPROVED, SponsorshipStatus.ENDED],
            decided_at__isnull=False,
        ),
        on_change=True,
    ),
    Source(
        Kind.INITIATIVE_SUPPORT,
        Supporter,
        user="user",
        at="created_at",
        project=("initiative__project_id",),
        neighbourhood=("initiative__neighbourhood_id",),
    ),
    Source(
        Kind.CO_INITIATOR,
        Initiator,
        user="user",
        at="accepted_at",
        project=("initiative__project_id",),
        neighbourhood=("initiative__neighbourhood_id",),
        # The starter and every accepted co-initiator; a request to join is not yet.
        when=Q(accepted_at__isnull=False),
        on_change=True,
    ),
    Source(
        Kind.NEED_OFFER,
        NeedOffer,
        user="user",
        at="created_at",
        project=("need__initiative__project_id",),
        neighbourhood=("need__initiative__neighbourhood_id",),
    ),
    Source(
        Kind.SURVEY_ANSWER,
        SurveyAnswer,
        user="user",
        at="created_at",
        project=("survey__project_id",),
        neighbourhood=("survey__project__neighbourhood_id",),
    ),
)


def sources_of(model: type[models.Model]) -> list[Source]:
    return [source for source in SOURCES if source.model is model]

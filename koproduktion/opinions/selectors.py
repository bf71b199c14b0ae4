"""Reads of the opinion map. Every read takes the project, which carries the municipality."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import rules
from django.db import router
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from koproduktion.core.selectors import municipality_get, visible_municipality_q
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import published_project_version, published_project_with_row

from .models import (
    OpinionMap,
    OpinionMapInputs,
    Participant,
    PolisImport,
    Statement,
    StatementVote,
)


def project_to_vote_in(*, user: Any, municipality_slug: str, project_slug: str) -> Project:
    """The project named in a vote's address, or 404 when ``user`` may not see it.

    What ``projects.views.project_for_request`` checks, without the timeline, documents and
    names a page shows: a vote is the most frequent write, and needs none of them.
    """
    municipality = municipality_get(slug=municipality_slug, user=user)
    project = Project.objects.filter(municipality=municipality, slug=project_slug).first()
    if project is None or not rules.test_rule("projects.can_view", user, project):
        raise Http404
    project.municipality = municipality
    return project


def statement_to_vote_on(
    *, user: Any, municipality_slug: str, project_slug: str, statement_id: int
) -> Statement:
    """The accepted statement named in a vote's address, with its project and town.

    Raises ``Http404`` when ``user`` may not see the project (as ``project_to_vote_in``) and
    ``Statement.DoesNotExist`` when the project has no such statement to vote on. A vote is the
    most frequent write of a live map, so the usual case, a published project of a public town
    (which everyone may see), costs one hand-written query: the project's version with the
    statement's status, the project as the process keeps it for that version
    (``published_project_with_row``; a write reads on the primary). Any other case asks the
    rules with the project read afresh.
    """
    found = published_project_with_row(
        municipality_slug=municipality_slug,
        project_slug=project_slug,
        related=False,
        join=Statement,
        pk=statement_id,
        columns=("status",),
    )
    if found is not None:
        project, (status,) = found
        if status != Statement.Status.ACCEPTED:
            raise Statement.DoesNotExist
        statement = Statement.from_db(
            router.db_for_write(Statement),
            ["id", "municipality_id", "project_id", "status"],
            (statement_id, project.municipality_id, project.pk, status),
        )
        statement.project = project
        return statement
    statement = (
        Statement.objects.select_related("project__municipality")
        .filter(
            visible_municipality_q(user, via="project__municipality__"),
            pk=statement_id,
            status=Statement.Status.ACCEPTED,
            project__slug=project_slug,
            project__municipality__slug=municipality_slug,
        )
        .first()
    )
    if statement is None or not rules.test_rule("projects.can_view", user, statement.project):
        # Http404 when the project cannot be seen; otherwise it has no such statement.
        project_to_vote_in(
            user=user, municipality_slug=municipality_slug, project_slug=project_slug
        )
        raise Statement.DoesNotExist
    return statement


def opinion_map_get(*, project: Project, with_result: bool = False) -> OpinionMap | None:
    """The project's opinion map, or ``None``; the large result JSON only when asked for."""
    queryset = OpinionMap.objects.filter(project=project, municipality_id=project.municipality_id)
    if not with_result:
        queryset = queryset.defer("result", "state")
    return queryset.first()


# The results' version: when the latest computation read its votes, and whether changes wait.
_COMPUTED_AND_PENDING = (
    f", j.computed_at, EXISTS (SELECT 1 FROM {OpinionMapInputs._meta.db_table} i "  # noqa: S608 - names from the models
    "WHERE i.opinion_map_id = j.id AND i.update_requested_at IS NOT NULL)"
)


def opinion_map_update_pending(*, opinion_map: OpinionMap) -> bool:
    """Whether changes wait for a computation that is queued."""
    return OpinionMapInputs.objects.filter(
        opinion_map=opinion_map, update_requested_at__isnull=False
    ).exists()


def opinion_map_content_version(
    *, municipality_slug: str, project_slug: str, **_: Any
) -> str | None:
    """The version of the map's results (page and API); None if there is no such page.

    The project's version (which moderation raises), the time of the latest computation, and
    whether votes are waiting for the next one (the page says so). Votes themselves change
    nothing here: the results show the latest computation. One query, like the project's.
    """
    return published_project_version(
        municipality_slug,
        project_slug,
        join=OpinionMap,
        also=_COMPUTED_AND_PENDING,
    )


def statement_list(*, project: Project) -> QuerySet[Statement]:
    """The statements people can vote on."""
    return Statement.objects.filter(
        project=project, municipality_id=project.municipality_id, status=Statement.Status.ACCEPTED
    )


def statement_list_with_counts(*, project: Project) -> QuerySet[Statement]:
    """Accepted statements with their agree / disagree / pass counts, in one query."""
    return statement_list(project=project).annotate(
        agrees=Count("votes", filter=Q(votes__value=StatementVote.Value.AGREE)),
        disagrees=Count("votes", filter=Q(votes__value=StatementVote.Value.DISAGREE)),
        passes=Count("votes", filter=Q(votes__value=StatementVote.Value.PASS)),
    )


def statement_get(*, project: Project, pk: int) -> Statement:
    """An accepted statement of ``project`` (with the project attached), or 404."""
    statement = statement_list(project=project).filter(pk=pk).first()
    if statement is None:
        raise Http404
    statement.project = project
    return statement


def pending_statements(*, project: Project) -> QuerySet[Statement]:
    return Statement.objects.filter(
        project=project, municipality_id=project.municipality_id, status=Statement.Status.PENDING
    ).select_related("author")


def own_statements(*, project: Project, user: Any) -> QuerySet[Statement]:
    """What ``user`` proposed here, so they can see what became of it."""
    if not getattr(user, "is_authenticated", False):
        return Statement.objects.none()
    return Statement.objects.filter(
        project=project, municipality_id=project.municipality_id, author=user, is_seed=False
    ).order_by("-created_at", "-pk")


def participant_of(*, project: Project, user: Any) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(project=project, user=user).first()


@dataclass(frozen=True)
class Progress:
    voted: int
    total: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.voted, 0)


def next_statement(
    *, project: Project, participant: Participant | None, rng: random.Random | None = None
) -> tuple[Statement | None, Progress]:
    """The statement to show next and how far the person got, in two queries.

    Statements added since the last computation have no priority yet and come first (the math
    would give them its new-statement boost), fewest votes first. Otherwise the choice is random,
    weighted by the math's priority, as in Polis: everybody sees the important statements early,
    but not all in the same order.
    """
    candidates = statement_list(project=project).order_by("vote_count", "pk")
    voted = 0
    if participant is not None:
        voted = StatementVote.objects.filter(
            participant=participant, statement__status=Statement.Status.ACCEPTED
        ).count()
        candidates = candidates.exclude(votes__participant=participant)
    open_ones = list(candidates.values_list("pk", "priority"))
    progress = Progress(voted=voted, total=voted + len(open_ones))
    if not open_ones:
        return None, progress
    fresh = [pk for pk, priority in open_ones if priority is None]
    if fresh:
        chosen = fresh[0]
    else:
        weights = [max(priority, 1e-9) for _pk, priority in open_ones]
        chosen = (rng or random.Random()).choices(  # noqa: S311 - not for security
            [pk for pk, _priority in open_ones], weights=weights
        )[0]
    statement = Statement.objects.get(pk=chosen)
    statement.project = project
    return statement, progress


def polis_imports(*, project: Project) -> QuerySet[PolisImport]:
    """The project's Polis imports, newest first."""
    return PolisImport.objects.filter(
        project=project, municipality_id=project.municipality_id
    ).select_related("created_by")

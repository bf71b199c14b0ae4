"""The council's agenda: what the platform puts before the council, oldest or most urgent first.

Three kinds of item, each a query on its own table, put together with one UNION so that a
page of the agenda is one query whatever the town's size (and its count one more):

- an idea that reached the town's support quorum and that no recorded decision names yet
  (waiting since the quorum was reached);
- a project whose decision is due by its timeline: its next decision date, else the planned end
  (or start) of its decision phase while it has not gone past that phase, when that date is at
  most ``LEAD_DAYS`` ahead and no decision about the project was taken from ``LEAD_DAYS``
  before that date on (waiting since, or due on, that date);
- a closed poll that no recorded decision names (waiting since it closed).

Only what the public may see is on it (published projects, contributions neither hidden nor
withdrawn): the agenda is the same for every reader, and council members see no drafts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.core.roles import COUNCIL_ROLES
from koproduktion.core.rules import municipality_ids_with_role
from koproduktion.core.selectors import Workspace, workspaces_with_counts
from koproduktion.decisions.models import Decision, Poll
from koproduktion.ideas.models import Idea
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Phase, Project
from koproduktion.routing.versions import CLOCK_SLOT_SECONDS, cache_key, town_versions

# A decision due this many days ahead is on the agenda already: a council plans its sessions.
LEAD_DAYS = 28
IDEA, PROJECT, POLL = "idea", "project", "poll"
KIND_LABELS = {
    IDEA: _("Idee über dem Quorum"),
    PROJECT: _("Beschluss fällig"),
    POLL: _("Abstimmungsergebnis"),
}
# Phases before and at the decision: the decision phase's date still says what is due.
NOT_PAST_DECISION = [PhaseKind.INFORMATION, PhaseKind.DIALOGUE, PhaseKind.DECISION]


def _town(municipality: Municipality | OuterRef) -> Q:
    return Q(municipality=municipality)


def _columns(queryset: QuerySet, kind: str, since: Any) -> QuerySet:
    """The columns every part of the UNION has, in this order."""
    return (
        queryset.order_by()
        .annotate(
            item_kind=Value(kind, output_field=CharField()),
            item_id=F("pk"),
            item_since=since,
        )
        .values("item_kind", "item_id", "item_since")
    )


def ideas_over_quorum(municipality: Municipality | OuterRef) -> QuerySet[Idea]:
    return Idea.objects.filter(
        _town(municipality),
        quorum_reached_at__isnull=False,
        hidden_at__isnull=True,
        withdrawn_at__isnull=True,
        project__is_published=True,
    ).exclude(Exists(Decision.ideas.through.objects.filter(idea_id=OuterRef("pk"))))


def projects_due(
    municipality: Municipality | OuterRef, *, today: datetime.date
) -> QuerySet[Project]:
    """Projects whose decision is due by ``today + LEAD_DAYS``, with ``decision_due`` annotated."""
    phase_date = (
        Phase.objects.filter(project=OuterRef("pk"), kind=PhaseKind.DECISION)
        .annotate(due=Coalesce("ends_on", "starts_on"))
        .values("due")[:1]
    )
    projects = Project.objects.filter(_town(municipality), is_published=True).annotate(
        decision_due=Coalesce(
            "next_decision_date",
            # The timeline counts only until the project has gone past its decision phase.
            Case(
                When(phase__in=NOT_PAST_DECISION, then=Subquery(phase_date)),
                default=None,
                output_field=DateField(),
            ),
        )
    )
    return projects.filter(decision_due__lte=today + datetime.timedelta(days=LEAD_DAYS)).exclude(
        Exists(
            Decision.objects.filter(
                project_id=OuterRef("pk"),
                decided_on__gte=Cast(
                    OuterRef("decision_due") - datetime.timedelta(days=LEAD_DAYS), DateField()
                ),
            )
        )
    )


def polls_awaiting_decision(
    municipality: Municipality | OuterRef, *, now: datetime.datetime
) -> QuerySet[Poll]:
    return Poll.objects.filter(
        _town(municipality), closes_at__lte=now, project__is_published=True
    ).exclude(Exists(Decision.polls.through.objects.filter(poll_id=OuterRef("pk"))))


def agenda_list(*, municipality: Municipality, now: datetime.datetime | None = None) -> QuerySet:
    """The agenda of ``municipality`` as rows of ``item_kind``, ``item_id`` and ``item_since``
    (a date), oldest first; page it, then ``agenda_items`` reads the records of a page."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ideas = _columns(ideas_over_quorum(municipality), IDEA, TruncDate("quorum_reached_at"))
    projects = _columns(projects_due(municipality, today=today), PROJECT, F("decision_due"))
    polls = _columns(polls_awaiting_decision(municipality, now=now), POLL, TruncDate("closes_at"))
    return ideas.union(projects, polls, all=True).order_by("item_since", "item_kind", "item_id")


@dataclass(frozen=True)
class AgendaItem:
    kind: str
    record: Idea | Project | Poll
    project: Project
    since: datetime.date
    days: int  # since when it waits; negative: due in that many days

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def due_in(self) -> int:
        return -self.days


def agenda_items(
    rows: list[dict[str, Any]], *, now: datetime.datetime | None = None
) -> list[AgendaItem]:
    """The records behind a page of ``agenda_list``: one query per kind on the page."""
    today = timezone.localdate(now or timezone.now())
    wanted: dict[str, list[int]] = {IDEA: [], PROJECT: [], POLL: []}
    for row in rows:
        wanted[row["item_kind"]].append(row["item_id"])
    records: dict[str, dict[int, Any]] = {
        IDEA: Idea.objects.select_related("project").in_bulk(wanted[IDEA]),
        PROJECT: Project.objects.in_bulk(wanted[PROJECT]),
        POLL: Poll.objects.select_related("project").in_bulk(wanted[POLL]),
    }
    items = []
    for row in rows:
        record = records[row["item_kind"]].get(row["item_id"])
        if record is None:  # gone between the two queries
            continue
        since = _date(row["item_since"])
        items.append(
            AgendaItem(
                kind=row["item_kind"],
                record=record,
                project=record if row["item_kind"] == PROJECT else record.project,
                since=since,
                days=(today - since).days,
            )
        )
    return items


def _date(value: Any) -> datetime.date:
    """A date from what the database gives for the UNION's column (text on SQLite)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def agenda_counts(*, user: Any) -> list[Workspace]:
    """The agendas of the towns where ``user`` sits on the council or keeps its record, with the
    number of items on each: from the cache under the towns' versions (``routing.versions``:
    every service that changes an idea, a poll, a decision or a project raises them) and the
    clock's slot, else one query. Nothing is asked of anyone else."""
    towns = municipality_ids_with_role(user, COUNCIL_ROLES)
    if not towns:
        return []
    key = cache_key("agenda-counts", sorted(town_versions(user, towns).items()))
    counted = cache.get(key)
    if counted is None:
        counted = _agenda_counts(towns)
        cache.set(key, counted, CLOCK_SLOT_SECONDS)
    return counted


def _agenda_counts(towns: set[int]) -> list[Workspace]:
    now = timezone.now()
    town = OuterRef("pk")
    parts = (
        ideas_over_quorum(town),
        projects_due(town, today=timezone.localdate(now)),
        polls_awaiting_decision(town, now=now),
    )
    return workspaces_with_counts(
        municipality_ids=towns, waiting=tuple(_count(part) for part in parts)
    )


def _count(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("municipality").annotate(count=Count("pk")).values("count")

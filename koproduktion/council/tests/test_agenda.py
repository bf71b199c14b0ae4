"""The council's agenda: what is on it, in which order, and what takes it off."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.council.selectors import (
    IDEA,
    LEAD_DAYS,
    POLL,
    PROJECT,
    agenda_counts,
    agenda_items,
    agenda_list,
)
from koproduktion.decisions.models import Body, Outcome
from koproduktion.decisions.services import decision_record
from koproduktion.decisions.tests.factories import PollFactory
from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def over_quorum(project, days: int, **fields) -> Idea:
    idea = IdeaFactory(project=project, **fields)
    Idea.objects.filter(pk=idea.pk).update(quorum_reached_at=days_ago(days))
    return idea


def decide(town, **fields):
    staff = person_with_role(town, Role.COORDINATION)
    data = {
        "municipality": town,
        "title": "Beschluss",
        "body": Body.COUNCIL,
        "decided_on": timezone.localdate(),
        "outcome": Outcome.ADOPTED,
        "reasons": "Weil es der Stadt dient.",
        **fields,
    }
    return decision_record(actor=staff, **data)


def rows(town):
    return [(row["item_kind"], row["item_id"]) for row in agenda_list(municipality=town)]


def test_the_agenda_holds_the_three_kinds_oldest_first():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    idea = over_quorum(project, 10)
    today = timezone.localdate()
    overdue = ProjectFactory(municipality=town, next_decision_date=today - datetime.timedelta(3))
    poll = PollFactory(project=project, opens_at=days_ago(30), closes_at=days_ago(20))
    soon = ProjectFactory(municipality=town, next_decision_date=today + datetime.timedelta(5))
    assert rows(town) == [
        (POLL, poll.pk),
        (IDEA, idea.pk),
        (PROJECT, overdue.pk),
        (PROJECT, soon.pk),
    ]
    items = agenda_items(list(agenda_list(municipality=town)))
    assert [item.days for item in items] == [20, 10, 3, -5]
    assert items[3].due_in == 5
    assert items[1].record == idea
    assert items[1].project == project


def test_what_is_not_yet_or_no_longer_before_the_council_stays_off():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    today = timezone.localdate()
    IdeaFactory(project=project)  # under the quorum
    over_quorum(project, 5, hidden_at=timezone.now())
    over_quorum(project, 5, withdrawn_at=timezone.now())
    over_quorum(ProjectFactory(municipality=town, is_published=False), 5)
    over_quorum(ProjectFactory(), 5)  # another town
    PollFactory(project=project)  # still open
    ProjectFactory(municipality=town, next_decision_date=today + datetime.timedelta(LEAD_DAYS + 1))
    ProjectFactory(municipality=town, next_decision_date=today, is_published=False)
    assert rows(town) == []


def test_a_decision_takes_its_item_off_the_agenda():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town, next_decision_date=timezone.localdate())
    idea = over_quorum(project, 10)
    poll = PollFactory(project=project, opens_at=days_ago(30), closes_at=days_ago(20))
    assert set(rows(town)) == {(IDEA, idea.pk), (POLL, poll.pk), (PROJECT, project.pk)}
    decide(town, ideas=[idea])
    assert set(rows(town)) == {(POLL, poll.pk), (PROJECT, project.pk)}
    decide(town, project=project, polls=[poll])
    assert rows(town) == []


def test_an_old_decision_of_the_project_does_not_settle_the_next_one():
    town = MunicipalityFactory()
    today = timezone.localdate()
    project = ProjectFactory(municipality=town, next_decision_date=today + datetime.timedelta(10))
    decide(town, project=project, decided_on=today - datetime.timedelta(LEAD_DAYS - 9))
    assert rows(town) == [(PROJECT, project.pk)]
    decide(town, project=project, decided_on=today - datetime.timedelta(LEAD_DAYS - 10))
    assert rows(town) == []


def test_the_decision_phase_of_the_timeline_counts_until_the_project_has_gone_past_it():
    town = MunicipalityFactory()
    today = timezone.localdate()
    project = ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE)
    PhaseFactory(
        project=project,
        kind=PhaseKind.DECISION,
        starts_on=today - datetime.timedelta(30),
        ends_on=today - datetime.timedelta(2),
    )
    items = agenda_items(list(agenda_list(municipality=town)))
    assert [(item.kind, item.record, item.days) for item in items] == [(PROJECT, project, 2)]
    project.phase = PhaseKind.IMPLEMENTATION
    project.save()
    assert rows(town) == []


def test_the_header_counts_the_agenda_for_the_council_and_its_clerk_only():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town, next_decision_date=timezone.localdate())
    over_quorum(project, 3)
    over_quorum(project, 4)
    PollFactory(project=project, opens_at=days_ago(30), closes_at=days_ago(20))
    for role in (Role.COUNCIL, Role.CLERK):
        counts = agenda_counts(user=person_with_role(town, role))
        assert [(c.slug, c.count) for c in counts] == [(town.slug, 4)]
    for role in (Role.RESIDENT, Role.STAFF, Role.ADMIN):
        assert agenda_counts(user=person_with_role(town, role)) == []

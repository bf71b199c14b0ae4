"""The permission matrix of the evaluation: every role × every phase × answer and manage."""

from __future__ import annotations

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from koproduktion.core.models import Block
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.evaluation.models import Survey
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project

from .factories import open_survey

pytestmark = pytest.mark.django_db

MANAGERS = {Role.STAFF, Role.COORDINATION, Role.ADMIN}
PARTICIPANTS = set(Role)  # every role in the town may take part, as in the other phases


def _person(project: Project, role: Role | None, staff) -> object:
    return staff if role == Role.STAFF else person_with_role(project.municipality, role)


@pytest.mark.parametrize("phase", list(PhaseKind))
@pytest.mark.parametrize("role", list(Role))
def test_role_and_phase_decide_who_answers_and_who_manages(role, phase):
    project, staff, _asked = open_survey()
    Project.objects.filter(pk=project.pk).update(phase=phase)
    project.refresh_from_db()
    survey = Survey.objects.get(project=project)
    person = _person(project, role, staff)
    answers = rules.test_rule("evaluation.can_answer", person, survey)
    assert answers == (phase == PhaseKind.EVALUATION and role in PARTICIPANTS), (role, phase)
    manages = rules.test_rule("evaluation.can_manage", person, survey)
    assert manages == (role in MANAGERS), (role, phase)


def test_outsiders_and_blocked_people_neither_answer_nor_manage():
    project, _staff, _asked = open_survey()
    survey = Survey.objects.get(project=project)
    blocked = person_with_role(project.municipality, Role.RESIDENT)
    Block.objects.create(municipality=project.municipality, user=blocked, reason="Beleidigungen")
    other_staff = person_with_role(project.municipality, Role.STAFF)  # no department of it
    for person in (
        AnonymousUser(),
        blocked,
        person_with_role(project.municipality, None),
        person_with_role(project.municipality, Role.RESIDENT, email_confirmed_at=None),
        other_staff,
    ):
        may_answer = rules.test_rule("evaluation.can_answer", person, survey)
        assert may_answer == (person is other_staff), person
        assert not rules.test_rule("evaluation.can_manage", person, survey), person


def test_a_survey_past_its_last_day_takes_no_answers():
    project, _staff, _asked = open_survey()
    Survey.objects.filter(project=project).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    survey = Survey.objects.get(project=project)
    resident = person_with_role(project.municipality, Role.RESIDENT)
    assert not rules.test_rule("evaluation.can_answer", resident, survey)

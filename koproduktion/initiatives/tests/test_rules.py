"""Who may do what, by role and state: the matrix the pages and services ask."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import DepartmentFactory, person_with_role

from .. import services
from .factories import initiative, requested, resident, staff_of, town

pytestmark = pytest.mark.django_db


def _can(rule, user, obj):
    return rules.test_rule(f"initiatives.{rule}", user, obj)


def test_the_matrix_of_a_collecting_initiative():
    made = initiative(town(threshold=1))
    neighbour = resident(made.municipality)
    outsider = person_with_role(town(), Role.RESIDENT)
    anonymous = AnonymousUser()
    assert _can("can_view", anonymous, made)
    assert _can("can_support", neighbour, made)
    assert _can("can_join", neighbour, made)
    assert not _can("can_support", made.created_by, made)
    assert not _can("can_support", outsider, made)
    assert not _can("can_support", anonymous, made)
    assert _can("can_edit", made.created_by, made)
    assert not _can("can_edit", neighbour, made)
    assert not _can("can_request_partner", made.created_by, made)  # no supporter yet
    services.initiative_support(actor=neighbour, initiative=made)
    made.refresh_from_db()
    assert _can("can_request_partner", made.created_by, made)
    assert not _can("can_review", neighbour, made)


def test_who_answers_a_request():
    made = requested()
    department = DepartmentFactory(municipality=made.municipality)
    assert _can("can_answer_request", staff_of(department), made)
    assert _can("can_answer_request", person_with_role(made.municipality, Role.COORDINATION), made)
    assert not _can("can_answer_request", person_with_role(made.municipality, Role.MODERATOR), made)
    assert not _can("can_answer_request", person_with_role(made.municipality, Role.STAFF), made)
    other_town = DepartmentFactory()
    assert not _can("can_answer_request", staff_of(other_town), made)


def test_a_draft_and_a_finished_initiative():
    draft = initiative(publish=False)
    assert not _can("can_view", resident(draft.municipality), draft)
    assert _can("can_view", draft.created_by, draft)
    assert _can("can_publish", draft.created_by, draft)
    services.initiative_withdraw(actor=draft.created_by, initiative=draft)
    draft.refresh_from_db()
    assert not _can("can_edit", draft.created_by, draft)
    assert not _can("can_support", resident(draft.municipality), draft)

"""The decision stage's matrix: role × phase × action, plus verification levels."""

from __future__ import annotations

import pytest
import rules

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.decisions.models import ResultsVisibility
from koproduktion.decisions.services import verification_grant
from koproduktion.decisions.tests.factories import PollFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import staff_of

pytestmark = pytest.mark.django_db
ADMINISTRATION = {Role.STAFF, Role.COORDINATION, Role.ADMIN}


@pytest.mark.parametrize("phase", list(PhaseKind))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(role, phase):
    poll = PollFactory(project__phase=phase, results_visibility=ResultsVisibility.AFTER_CLOSE)
    # Staff of the project's department (other departments: projects/tests/test_workspace…).
    person = (
        staff_of(poll.project) if role == Role.STAFF else person_with_role(poll.municipality, role)
    )
    assert rules.test_rule("decisions.can_vote", person, poll) == (phase == PhaseKind.DECISION)
    assert rules.test_rule("decisions.can_record", person, poll.project) == (role in ADMINISTRATION)
    assert rules.test_rule("decisions.can_verify", person, poll.municipality) == (
        role in ADMINISTRATION
    )
    assert rules.test_rule("decisions.can_see_results", person, poll) == (role in ADMINISTRATION)


@pytest.mark.parametrize("role", list(Role))
def test_binding_polls_need_the_higher_level(role):
    poll = PollFactory(binding=True)
    person = person_with_role(poll.municipality, role)
    assert not rules.test_rule("decisions.can_vote", person, poll)
    staff = person_with_role(poll.municipality, Role.STAFF)
    verification_grant(actor=staff, user=person, municipality=poll.municipality)
    assert rules.test_rule("decisions.can_vote", person, poll)


def test_nothing_across_towns():
    poll = PollFactory()
    for role in Role:
        outsider = person_with_role(MunicipalityFactory(), role)
        for action in ("decisions.can_vote", "decisions.can_see_results"):
            assert not rules.test_rule(action, outsider, poll), (role, action)
        assert not rules.test_rule("decisions.can_record", outsider, poll.project)

"""The dialogue's permission matrix: role × phase × action."""

from __future__ import annotations

import pytest
import rules

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ADMINISTRATION = {Role.STAFF, Role.COORDINATION, Role.ADMIN}
MODERATION = {Role.MODERATOR, Role.ADMIN}


def _expected(action: str, role: Role, phase: PhaseKind) -> bool:
    return {
        "projects.can_contribute": phase == PhaseKind.DIALOGUE,
        "dialogue.can_comment": phase == PhaseKind.DIALOGUE,
        "ideas.can_support": phase in {PhaseKind.DIALOGUE, PhaseKind.DECISION},
        "dialogue.can_answer_officially": phase == PhaseKind.DIALOGUE and role in ADMINISTRATION,
        "ideas.can_record_on_behalf": phase == PhaseKind.DIALOGUE and role in ADMINISTRATION,
        "ideas.can_change_status": role in ADMINISTRATION,
        "moderation.can_moderate": role in MODERATION,
        "moderation.can_report": True,
    }[action]


@pytest.mark.parametrize("phase", list(PhaseKind))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(role, phase):
    project = ProjectFactory(phase=phase)
    idea = IdeaFactory(project=project)  # written by someone else
    person = person_with_role(project.municipality, role)
    for action in (
        "dialogue.can_comment",
        "ideas.can_support",
        "dialogue.can_answer_officially",
        "ideas.can_change_status",
        "moderation.can_moderate",
        "moderation.can_report",
    ):
        assert rules.test_rule(action, person, idea) == _expected(action, role, phase), action
    for action in ("projects.can_contribute", "ideas.can_record_on_behalf"):
        assert rules.test_rule(action, person, project) == _expected(action, role, phase), action


def test_nothing_across_towns():
    idea = IdeaFactory()
    for role in Role:
        outsider = person_with_role(MunicipalityFactory(), role)
        for action in (
            "dialogue.can_comment",
            "ideas.can_support",
            "ideas.can_change_status",
            "moderation.can_moderate",
        ):
            assert not rules.test_rule(action, outsider, idea), (role, action)

"""The opinion map's permission matrix: role × phase × action."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

MODERATING_ROLES = {Role.MODERATOR, Role.STAFF, Role.COORDINATION, Role.ADMIN}


@pytest.mark.parametrize("phase", list(PhaseKind))
@pytest.mark.parametrize("role", [*list(Role), None])
def test_role_and_phase_decide(role, phase):
    project = ProjectFactory(phase=phase)
    person = person_with_role(project.municipality, role)
    in_dialogue = phase == PhaseKind.DIALOGUE
    member = role is not None
    assert rules.test_rule("opinions.can_vote", person, project) == (in_dialogue and member)
    assert rules.test_rule("opinions.can_propose", person, project) == (in_dialogue and member)
    assert rules.test_rule("opinions.can_moderate", person, project) == (role in MODERATING_ROLES)
    assert rules.test_rule("opinions.can_view", person, project)


def test_roles_count_only_in_their_own_municipality():
    project = ProjectFactory()
    elsewhere = MunicipalityFactory()
    for role in Role:
        person = person_with_role(elsewhere, role)
        assert not rules.test_rule("opinions.can_vote", person, project)
        assert not rules.test_rule("opinions.can_moderate", person, project)


def test_unconfirmed_anonymous_and_drafts():
    project = ProjectFactory()
    unconfirmed = person_with_role(project.municipality, Role.RESIDENT, email_confirmed_at=None)
    assert not rules.test_rule("opinions.can_vote", unconfirmed, project)
    assert not rules.test_rule("opinions.can_vote", AnonymousUser(), project)
    draft = ProjectFactory(is_published=False)
    resident = person_with_role(draft.municipality, Role.RESIDENT)
    assert not rules.test_rule("opinions.can_vote", resident, draft)
    assert not rules.test_rule("opinions.can_view", resident, draft)


def test_platform_admin_moderates_everywhere():
    admin = UserFactory(is_superuser=True)
    assert rules.test_rule("opinions.can_moderate", admin, ProjectFactory())


def test_voting_follows_the_projects_rule():
    project = ProjectFactory()
    person = person_with_role(project.municipality, Role.RESIDENT)
    assert rules.test_rule("opinions.can_vote", person, project) == rules.test_rule(
        "projects.can_give_opinion", person, project
    )

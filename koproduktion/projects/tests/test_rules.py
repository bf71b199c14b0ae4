"""The permission matrix: every role × every phase × every capability."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.projects.capabilities import PHASE_CAPABILITIES, Capability, PhaseKind
from koproduktion.projects.rules import capability_rule
from koproduktion.projects.tests.factories import ProjectFactory, staff_of

pytestmark = pytest.mark.django_db

# What the registry promises, written out by hand so that a change to it shows up here.
EXPECTED_BY_PHASE = {
    PhaseKind.INFORMATION: set(),
    PhaseKind.DIALOGUE: {Capability.CONTRIBUTE, Capability.GIVE_OPINION, Capability.SUPPORT},
    PhaseKind.DECISION: {Capability.VOTE, Capability.SUPPORT},
    PhaseKind.IMPLEMENTATION: {Capability.TAKE_ON_TASK},
    PhaseKind.EVALUATION: {Capability.GIVE_FEEDBACK},
}


def test_registry_matches_the_cycle():
    assert {phase: set(caps) for phase, caps in PHASE_CAPABILITIES.items()} == EXPECTED_BY_PHASE


@pytest.mark.parametrize("phase", list(PhaseKind))
@pytest.mark.parametrize("role", list(Role))
def test_members_may_do_what_the_phase_allows(role, phase):
    project = ProjectFactory(phase=phase)
    person = person_with_role(project.municipality, role)
    for capability in Capability:
        allowed = rules.test_rule(capability_rule(capability), person, project)
        assert allowed == (capability in EXPECTED_BY_PHASE[phase]), (role, phase, capability)


@pytest.mark.parametrize("phase", list(PhaseKind))
def test_outsiders_may_do_nothing(phase):
    project = ProjectFactory(phase=phase)
    other_town = MunicipalityFactory()
    outsiders = [
        AnonymousUser(),
        person_with_role(project.municipality, None),  # registered, but no role here
        person_with_role(other_town, Role.RESIDENT),
        person_with_role(other_town, Role.ADMIN),
        person_with_role(project.municipality, Role.RESIDENT, email_confirmed_at=None),
        person_with_role(project.municipality, Role.RESIDENT, is_active=False),
    ]
    for person in outsiders:
        for capability in Capability:
            assert not rules.test_rule(capability_rule(capability), person, project), (
                person,
                capability,
            )


@pytest.mark.parametrize("capability", list(Capability))
def test_nobody_takes_part_in_a_draft(capability):
    draft = ProjectFactory(phase=PhaseKind.DIALOGUE, is_published=False)
    for role in Role:
        person = person_with_role(draft.municipality, role)
        assert not rules.test_rule(capability_rule(capability), person, draft)


@pytest.mark.parametrize("role", list(Role))
def test_drafts_are_seen_and_projects_managed_by_administration_only(role):
    draft = ProjectFactory(is_published=False)
    # Staff of the project's department (see test_workspace_permissions for other departments).
    person = staff_of(draft) if role == Role.STAFF else person_with_role(draft.municipality, role)
    works_here = role in {Role.STAFF, Role.COORDINATION, Role.ADMIN}
    assert rules.test_rule("projects.can_view", person, draft) == works_here
    assert rules.test_rule("projects.can_manage", person, draft) == works_here
    published = ProjectFactory(municipality=draft.municipality)
    assert rules.test_rule("projects.can_view", person, published)


def test_staff_of_another_town_neither_see_nor_manage_drafts():
    draft = ProjectFactory(is_published=False)
    stranger = person_with_role(MunicipalityFactory(), Role.STAFF)
    assert not rules.test_rule("projects.can_view", stranger, draft)
    assert not rules.test_rule("projects.can_manage", stranger, draft)
    assert not stranger.has_perm("projects.change_project", draft)


def test_platform_admin_sees_and_manages_everything():
    draft = ProjectFactory(is_published=False)
    admin = person_with_role(draft.municipality, None, is_superuser=True)
    assert rules.test_rule("projects.can_view", admin, draft)
    assert rules.test_rule("projects.can_manage", admin, draft)


def test_checking_many_rules_reads_roles_and_blocks_once(django_assert_num_queries):
    town = MunicipalityFactory()
    projects = ProjectFactory.create_batch(5, municipality=town)
    person = person_with_role(town, Role.RESIDENT)
    # One query for the person's roles and their blocks, whatever the number of checks.
    with django_assert_num_queries(1):
        for project in projects:
            for capability in Capability:
                rules.test_rule(capability_rule(capability), person, project)

"""The implementation's permission matrix: role × phase × action."""

from __future__ import annotations

import pytest
import rules

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    person_with_role,
)
from koproduktion.implementation.tests.factories import TaskFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory, staff_of
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory

pytestmark = pytest.mark.django_db

ADMINISTRATION = {Role.STAFF, Role.COORDINATION, Role.ADMIN}


def _expected(action: str, role: Role, phase: PhaseKind) -> bool:
    return {
        "implementation.can_commit": phase == PhaseKind.IMPLEMENTATION,
        "implementation.can_view_task": True,
        "implementation.can_manage": role in ADMINISTRATION,
        "implementation.can_see_volunteers": role in ADMINISTRATION,
        "implementation.can_post_update": role in ADMINISTRATION,
    }[action]


@pytest.mark.parametrize("phase", list(PhaseKind))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(role, phase):
    project = ProjectFactory(phase=phase)
    task = TaskFactory(project=project)
    # Staff act on the projects of their departments (see test_staff_of_another_department…).
    person = (
        staff_of(project) if role == Role.STAFF else person_with_role(project.municipality, role)
    )
    for action in (
        "implementation.can_commit",
        "implementation.can_view_task",
        "implementation.can_see_volunteers",
    ):
        assert rules.test_rule(action, person, task) == _expected(action, role, phase), action
    for action in ("implementation.can_manage", "implementation.can_post_update"):
        assert rules.test_rule(action, person, project) == _expected(action, role, phase), action


def test_drafts_stay_with_the_administration():
    task = TaskFactory(is_published=False)
    resident = person_with_role(task.municipality, Role.RESIDENT)
    staff = staff_of(task.project)
    other_department = person_with_role(
        task.municipality,
        Role.STAFF,
        departments=[DepartmentFactory(municipality=task.municipality)],
    )
    assert not rules.test_rule("implementation.can_commit", resident, task)
    assert not rules.test_rule("implementation.can_view_task", resident, task)
    assert rules.test_rule("implementation.can_view_task", staff, task)
    assert not rules.test_rule("implementation.can_view_task", other_department, task)


def test_staff_of_another_department_neither_manage_nor_see_volunteers():
    task = TaskFactory()
    other_department = person_with_role(
        task.municipality,
        Role.STAFF,
        departments=[DepartmentFactory(municipality=task.municipality)],
    )
    assert not rules.test_rule("implementation.can_manage", other_department, task.project)
    assert not rules.test_rule("implementation.can_see_volunteers", other_department, task)
    assert not rules.test_rule("implementation.can_post_update", other_department, task.project)


def test_visitors_and_other_towns_may_not_commit_or_manage():
    task = TaskFactory()
    assert not rules.test_rule("implementation.can_commit", None, task)
    for role in Role:
        outsider = person_with_role(MunicipalityFactory(), role)
        for action in ("implementation.can_commit", "implementation.can_see_volunteers"):
            assert not rules.test_rule(action, outsider, task), (role, action)
        assert not rules.test_rule("implementation.can_manage", outsider, task.project)


def test_sponsorship_rules():
    obj = SponsorshipObjectFactory()
    for role in Role:
        assert rules.test_rule(
            "sponsorships.can_apply", person_with_role(obj.municipality, role), obj
        )
        assert rules.test_rule(
            "sponsorships.can_manage", person_with_role(obj.municipality, role), obj
        ) == (role in ADMINISTRATION)
    assert not rules.test_rule(
        "sponsorships.can_apply", person_with_role(MunicipalityFactory(), Role.RESIDENT), obj
    )
    obj.is_active = False
    assert not rules.test_rule(
        "sponsorships.can_apply", person_with_role(obj.municipality, Role.RESIDENT), obj
    )

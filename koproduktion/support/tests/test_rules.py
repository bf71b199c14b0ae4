"""Who may set up, keep and link offers: a matrix of roles."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.initiatives import services as initiatives
from koproduktion.initiatives.models import State
from koproduktion.initiatives.tests.factories import initiative
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import DepartmentFactory, offer

pytestmark = pytest.mark.django_db

PEOPLE = (
    "anonymous",
    "resident",
    "organisation",
    "moderator",
    "council",
    "staff_of_offer",
    "staff_elsewhere",
    "coordination",
    "admin",
    "platform_admin",
    "admin_of_other_town",
    "initiator",
)


@pytest.fixture
def world():
    town = MunicipalityFactory()
    offer_department = DepartmentFactory(municipality=town)
    project_department = DepartmentFactory(municipality=town)
    other = DepartmentFactory(municipality=town)
    project = ProjectFactory(municipality=town, department=project_department)
    theirs = initiative(town)
    people = {
        "anonymous": AnonymousUser(),
        "resident": person_with_role(town, Role.RESIDENT),
        "organisation": person_with_role(town, Role.ORGANISATION),
        "moderator": person_with_role(town, Role.MODERATOR),
        "council": person_with_role(town, Role.COUNCIL),
        "staff_of_offer": person_with_role(town, Role.STAFF, departments=[offer_department]),
        "staff_elsewhere": person_with_role(town, Role.STAFF, departments=[other]),
        "staff_of_project": person_with_role(town, Role.STAFF, departments=[project_department]),
        "coordination": person_with_role(town, Role.COORDINATION),
        "admin": person_with_role(town, Role.ADMIN),
        "platform_admin": UserFactory(is_superuser=True),
        "admin_of_other_town": person_with_role(MunicipalityFactory(), Role.ADMIN),
        "initiator": theirs.created_by,
    }
    made = offer(town, department=offer_department)
    return {"town": town, "offer": made, "project": project, "initiative": theirs, **people}


CAN_CREATE = {
    "staff_of_offer",
    "staff_elsewhere",
    "coordination",
    "admin",
    "platform_admin",
}
CAN_MANAGE = {"staff_of_offer", "coordination", "admin", "platform_admin"}
CAN_LINK_PROJECT = {"coordination", "admin", "platform_admin"}  # and its department's staff
CAN_LINK_INITIATIVE = {"initiator"}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_sets_up_and_keeps_offers(world, who):
    person = world[who]
    assert rules.test_rule("support.can_create", person, world["town"]) == (who in CAN_CREATE)
    assert rules.test_rule("support.can_manage", person, world["offer"]) == (who in CAN_MANAGE)


@pytest.mark.parametrize("who", PEOPLE)
def test_who_links_offers(world, who):
    person = world[who]
    assert rules.test_rule("support.can_link_project", person, world["project"]) == (
        who in CAN_LINK_PROJECT
    )
    assert rules.test_rule("support.can_link_initiative", person, world["initiative"]) == (
        who in CAN_LINK_INITIATIVE
    )


def test_staff_of_the_projects_department_link_to_it(world):
    assert rules.test_rule("support.can_link_project", world["staff_of_project"], world["project"])


def test_nothing_is_linked_to_a_withdrawn_initiative(world):
    theirs = world["initiative"]
    theirs = initiatives.initiative_withdraw(
        actor=theirs.created_by, initiative=theirs, reason="Erledigt."
    )
    assert theirs.state == State.WITHDRAWN
    assert not rules.test_rule("support.can_link_initiative", theirs.created_by, theirs)


def test_everyone_sees_a_published_offer_and_only_its_keepers_a_draft(world):
    made = world["offer"]
    assert rules.test_rule("support.can_view", world["anonymous"], made)
    made.state = "draft"
    assert not rules.test_rule("support.can_view", world["anonymous"], made)
    assert not rules.test_rule("support.can_view", world["staff_elsewhere"], made)
    assert rules.test_rule("support.can_view", world["staff_of_offer"], made)

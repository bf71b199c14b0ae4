"""Who sees which inbox and acts on what waits there: role × department × action."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing.models import Assignment

from .factories import assignment_of, posted_idea, staff_in

pytestmark = pytest.mark.django_db

# The people: their role, and for staff the department they work in (A or B).
PEOPLE = [
    "resident",
    "council",
    "moderator",
    "staff A",
    "staff B",
    "staff without department",
    "coordination",
    "admin",
    "platform admin",
    "staff A of another town",
    "coordination of another town",
    "admin of another town",
    "anonymous",
]
# Actions on the department inboxes of the town: (rule, what it is asked about).
ACTIONS = [
    ("routing.can_view_inboxes", "town"),
    ("routing.can_view_all_inboxes", "town"),
    ("routing.can_view_inbox", "department A"),
    ("routing.can_view_inbox", "department B"),
    ("routing.can_handle", "item of A"),
    ("routing.can_handle", "item of B"),
    ("routing.can_handle", "item without department"),
    ("routing.can_reassign", "item of A"),
    ("routing.can_reassign", "item of B"),
    ("routing.can_reassign", "item without department"),
]
EVERYTHING = set(ACTIONS)
OF_A = {
    ("routing.can_view_inboxes", "town"),
    ("routing.can_view_inbox", "department A"),
    ("routing.can_handle", "item of A"),
    ("routing.can_reassign", "item of A"),
}
ALLOWED = {
    "staff A": OF_A,
    "staff B": {
        ("routing.can_view_inboxes", "town"),
        ("routing.can_view_inbox", "department B"),
        ("routing.can_handle", "item of B"),
        ("routing.can_reassign", "item of B"),
    },
    "coordination": EVERYTHING,
    "admin": EVERYTHING,
    "platform admin": EVERYTHING,
}


@pytest.fixture
def world():
    town, other = MunicipalityFactory(), MunicipalityFactory()
    a = DepartmentFactory(municipality=town)
    b = DepartmentFactory(municipality=town)
    other_a = DepartmentFactory(municipality=other)
    project = ProjectFactory(municipality=town, department=a)
    of_a = assignment_of(posted_idea(project))
    of_b = assignment_of(posted_idea(project))
    Assignment.objects.filter(pk=of_b.pk).update(department=b)
    of_b.refresh_from_db()
    unrouted = assignment_of(posted_idea(project))
    Assignment.objects.filter(pk=unrouted.pk).update(department=None)
    unrouted.refresh_from_db()
    people = {
        "resident": person_with_role(town, Role.RESIDENT),
        "council": person_with_role(town, Role.COUNCIL),
        "moderator": person_with_role(town, Role.MODERATOR),
        "staff A": staff_in(a),
        "staff B": staff_in(b),
        "staff without department": person_with_role(town, Role.STAFF),
        "coordination": person_with_role(town, Role.COORDINATION),
        "admin": person_with_role(town, Role.ADMIN),
        "platform admin": UserFactory(is_superuser=True),
        "staff A of another town": staff_in(other_a),
        "coordination of another town": person_with_role(other, Role.COORDINATION),
        "admin of another town": person_with_role(other, Role.ADMIN),
        "anonymous": AnonymousUser(),
    }
    objects = {
        "town": town,
        "department A": a,
        "department B": b,
        "item of A": of_a,
        "item of B": of_b,
        "item without department": unrouted,
    }
    return people, objects


def test_the_permission_matrix(world):
    people, objects = world
    found = {
        person: {
            (rule, target)
            for rule, target in ACTIONS
            if rules.test_rule(rule, people[person], objects[target])
        }
        for person in PEOPLE
    }
    assert found == {person: ALLOWED.get(person, set()) for person in PEOPLE}


def test_staff_lose_their_inbox_where_two_factor_is_required_and_missing(world):
    people, objects = world
    town = objects["town"]
    town.require_two_factor = True
    town.save(update_fields=["require_two_factor"])
    staff = people["staff A"]
    assert not rules.test_rule("routing.can_view_inboxes", staff, town)
    assert not rules.test_rule("routing.can_handle", staff, objects["item of A"])

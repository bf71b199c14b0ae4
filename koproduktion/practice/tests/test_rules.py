"""Who may keep the library and who sees an example: role × published × town's visibility."""

from __future__ import annotations

import pytest
import rules

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role

from .factories import example

pytestmark = pytest.mark.django_db

MANAGE = {
    Role.RESIDENT: False,
    Role.ORGANISATION: False,
    Role.STAFF: False,
    Role.MODERATOR: False,
    Role.COUNCIL: False,
    Role.CLERK: False,
    Role.COORDINATION: True,
    Role.ADMIN: True,
}


@pytest.mark.parametrize(("role", "allowed"), MANAGE.items())
@pytest.mark.parametrize("published", [True, False])
def test_role_by_published(role, allowed, published):
    made = example(is_published=published)
    person = person_with_role(made.municipality, role)
    assert rules.test_rule("practice.can_manage", person, made.municipality) is allowed
    assert rules.test_rule("practice.can_manage", person, made) is allowed
    assert rules.test_rule("practice.can_view", person, made) is (published or allowed)


@pytest.mark.parametrize("role", [Role.COORDINATION, Role.ADMIN])
def test_roles_count_only_in_their_own_town(role):
    made = example(is_published=False)
    elsewhere = person_with_role(MunicipalityFactory(), role)
    assert not rules.test_rule("practice.can_manage", elsewhere, made.municipality)
    assert not rules.test_rule("practice.can_view", elsewhere, made)


def test_a_published_example_of_a_closed_town_is_not_public():
    made = example()
    Municipality.objects.filter(pk=made.municipality_id).update(is_public=False)
    made.municipality.refresh_from_db()
    assert not rules.test_rule("practice.can_view", UserFactory(), made)


def test_platform_admins_keep_every_library():
    admin = UserFactory(is_superuser=True)
    assert rules.test_rule("practice.can_manage", admin, MunicipalityFactory())

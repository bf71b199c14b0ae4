"""A person's roles and blocks come from the cache on most pages, and never outlive a change.

The cache is keyed by the person's ``roles_version``, which every change of a membership or a
block raises in the same transaction; the person is loaded afresh for every request, so the
next request of any process reads the new roles. Tested as a second process would see it: a
fresh load of the person after the change, with the old entry still in the cache.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Membership
from koproduktion.core.roles import Role
from koproduktion.core.rules import blocked_municipality_ids, roles_by_municipality
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.moderation.services import user_block, user_unblock

pytestmark = pytest.mark.django_db


def _request(user: User) -> User:
    """The person as the next request loads them."""
    return User.objects.get(pk=user.pk)


def test_a_second_page_reads_the_roles_from_the_cache(django_assert_num_queries):
    town = MunicipalityFactory()
    person = person_with_role(town, Role.RESIDENT)
    assert roles_by_municipality(_request(person)) == {town.pk: frozenset({Role.RESIDENT})}
    again = _request(person)
    with django_assert_num_queries(0):
        assert roles_by_municipality(again) == {town.pk: frozenset({Role.RESIDENT})}


def test_a_new_role_shows_on_the_next_request_of_every_process():
    town = MunicipalityFactory()
    person = person_with_role(town, Role.RESIDENT)
    roles_by_municipality(_request(person))  # cached under the old version
    Membership.objects.create(user=person, municipality=town, role=Role.MODERATOR)
    assert roles_by_municipality(_request(person))[town.pk] == {Role.RESIDENT, Role.MODERATOR}
    Membership.objects.filter(user=person, role=Role.MODERATOR).delete()
    assert roles_by_municipality(_request(person))[town.pk] == {Role.RESIDENT}


def test_a_block_and_its_lifting_hold_at_once():
    town = MunicipalityFactory()
    admin = person_with_role(town, Role.ADMIN)
    person = person_with_role(town, Role.MODERATOR)
    roles_by_municipality(_request(person))
    user_block(moderator=admin, municipality=town, user=person, reason="Missbrauch.")
    assert blocked_municipality_ids(_request(person)) == {town.pk}
    # Lifted with an update of rows, which sends no signal: the service says so itself.
    user_unblock(moderator=admin, municipality=town, user=person, reason="Geklärt.")
    assert blocked_municipality_ids(_request(person)) == frozenset()


def test_a_cached_block_ends_when_it_says(monkeypatch):
    town = MunicipalityFactory()
    admin = person_with_role(town, Role.ADMIN)
    person = person_with_role(town, Role.RESIDENT)
    ending = timezone.now() + datetime.timedelta(minutes=5)
    user_block(moderator=admin, municipality=town, user=person, reason="Kurz.", ends_at=ending)
    assert blocked_municipality_ids(_request(person)) == {town.pk}
    # Six minutes later the same cache entry is read: the block has ended.
    later = ending + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert blocked_municipality_ids(_request(person)) == frozenset()


def test_a_town_that_starts_requiring_two_factor_holds_back_staff_roles_at_once():
    town = MunicipalityFactory()
    staff = person_with_role(town, Role.STAFF)
    assert Role.STAFF in roles_by_municipality(_request(staff))[town.pk]
    town.require_two_factor = True
    town.save(update_fields=["require_two_factor"])
    assert town.pk not in roles_by_municipality(_request(staff))

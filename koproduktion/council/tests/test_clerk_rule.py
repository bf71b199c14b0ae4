"""The council's clerk records decisions of the council, and only where the town allows it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.decisions.models import Body, Decision, Outcome
from koproduktion.decisions.services import decision_record, decision_update

pytestmark = pytest.mark.django_db


def record(actor, town, body=Body.COUNCIL):
    return decision_record(
        actor=actor,
        municipality=town,
        title="Haushaltssatzung",
        body=body,
        decided_on=datetime.date(2026, 11, 26),
        outcome=Outcome.ADOPTED,
        reasons="Einstimmig.",
    )


def test_the_clerk_records_the_councils_decisions_where_the_town_allows_it():
    town = MunicipalityFactory()
    clerk = person_with_role(town, Role.CLERK)
    with pytest.raises(PermissionDenied, match="Schriftführung des Rats"):
        record(clerk, town)
    Municipality.objects.filter(pk=town.pk).update(council_records_decisions=True)
    town.refresh_from_db()
    decision = record(clerk, town)
    assert decision.recorded_by == clerk
    with pytest.raises(PermissionDenied):  # another body's decision
        record(clerk, town, body=Body.COMMITTEE)
    with pytest.raises(PermissionDenied):  # editing stays with the administration
        decision_update(actor=clerk, decision=decision, change_note="Tippfehler", title="X")
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.RESIDENT, Role.MODERATOR])
def test_council_members_and_others_do_not_record_even_where_the_clerk_may(role):
    town = MunicipalityFactory(council_records_decisions=True)
    with pytest.raises(PermissionDenied):
        record(person_with_role(town, role), town)


def test_staff_record_the_councils_decisions_wherever():
    town = MunicipalityFactory(council_records_decisions=False)
    assert record(person_with_role(town, Role.STAFF), town).body == Body.COUNCIL


def test_a_clerk_who_must_use_two_factor_log_in_records_nothing_without_it():
    town = MunicipalityFactory(council_records_decisions=True, require_two_factor=True)
    with pytest.raises(PermissionDenied):
        record(person_with_role(town, Role.CLERK), town)

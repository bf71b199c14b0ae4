"""Giving, changing and taking back the charter's promises: who may, what is refused, the log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.charter.models import CharterPromise, PromiseKind
from koproduktion.charter.services import (
    charter_promise_remove,
    charter_promise_set,
    municipality_answer_time_set,
)
from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(answer_within_days=14)


@pytest.fixture
def admin(town):
    return person_with_role(town, Role.ADMIN)


def test_a_promise_is_given_changed_and_taken_back_with_the_log(town, admin):
    promise = charter_promise_set(
        actor=admin, municipality=town, kind=PromiseKind.LISTED, number=4, note=" Mindestens. "
    )
    assert (promise.number, promise.note) == (4, "Mindestens.")
    charter_promise_set(actor=admin, municipality=town, kind=PromiseKind.LISTED, number=6)
    assert CharterPromise.objects.get(municipality=town).number == 6
    charter_promise_remove(actor=admin, promise=CharterPromise.objects.get(municipality=town))
    assert not CharterPromise.objects.exists()
    entries = AuditEntry.objects.filter(municipality=town).order_by("pk")
    assert [(e.action, e.before, e.after) for e in entries] == [
        ("charter.charter_promise_set", {}, {"kind": "listed", "number": 4, "note": "Mindestens."}),
        (
            "charter.charter_promise_set",
            {"number": 4, "note": "Mindestens."},
            {"number": 6, "note": ""},
        ),
        ("charter.charter_promise_remove", {"kind": "listed", "number": 6}, {}),
    ]
    assert {e.actor for e in entries} == {admin}


def test_the_answer_promise_sets_the_towns_answer_time(town, admin):
    promise = charter_promise_set(
        actor=admin, municipality=town, kind=PromiseKind.ANSWER, number=10
    )
    assert promise.number is None  # stored once, on the town
    town.refresh_from_db()
    assert town.answer_within_days == 10
    entry = AuditEntry.objects.get(action="charter.municipality_answer_time_set")
    assert (entry.before, entry.after) == ({"answer_within_days": 14}, {"answer_within_days": 10})


def test_the_reasons_promise_has_no_number(town, admin):
    promise = charter_promise_set(
        actor=admin, municipality=town, kind=PromiseKind.REASONS, number=3
    )
    assert promise.number is None


@pytest.mark.parametrize(
    ("kind", "number", "message"),
    [
        (PromiseKind.LISTED, None, "Bitte nennen Sie die Frist."),
        (PromiseKind.LISTED, 0, "Bitte eine Zahl von 1 bis 52 Wochen."),
        (PromiseKind.LISTED, 53, "Bitte eine Zahl von 1 bis 52 Wochen."),
        (PromiseKind.FEEDBACK, 366, "Bitte eine Zahl von 1 bis 365 Tagen."),
        (PromiseKind.ANSWER, None, "Bitte nennen Sie die Frist."),
        (PromiseKind.ANSWER, 0, "Bitte eine Zahl von 1 bis 365 Tagen."),
    ],
)
def test_a_number_out_of_range_is_refused_and_nothing_stored(town, admin, kind, number, message):
    with pytest.raises(ValidationError) as refused:
        charter_promise_set(actor=admin, municipality=town, kind=kind, number=number)
    assert refused.value.message_dict == {"number": [message]}
    assert not CharterPromise.objects.exists()
    town.refresh_from_db()
    assert town.answer_within_days == 14
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.COORDINATION, Role.COUNCIL, Role.RESIDENT])
def test_only_the_towns_admins_edit_the_charter(town, role):
    person = person_with_role(town, role)
    with pytest.raises(PermissionDenied):
        charter_promise_set(actor=person, municipality=town, kind=PromiseKind.REASONS)
    with pytest.raises(PermissionDenied):
        municipality_answer_time_set(actor=person, municipality=town, days=3)
    promise = CharterPromise.objects.create(municipality=town, kind=PromiseKind.REASONS)
    with pytest.raises(PermissionDenied):
        charter_promise_remove(actor=person, promise=promise)


def test_an_admin_of_another_town_cannot_edit_this_charter(town):
    stranger = person_with_role(MunicipalityFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        charter_promise_set(actor=stranger, municipality=town, kind=PromiseKind.REASONS)

"""Registering for an event through the API: the same service, waiting list and refusals as
the page, answered in JSON."""

from __future__ import annotations

import pytest

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MembershipFactory
from koproduktion.events.models import Registration, RegistrationStatus

from .factories import EventFactory, resident_of

pytestmark = pytest.mark.django_db


def _url(event) -> str:
    return f"/api/v1/municipalities/{event.municipality.slug}/events/{event.pk}/registration"


def _post(client, event, **payload):
    return client.post(_url(event), payload, content_type="application/json")


def test_a_resident_registers_the_next_waits_and_moves_up_when_a_place_frees(client):
    event = EventFactory(capacity=2)
    first, second = resident_of(event), resident_of(event)

    client.force_login(first)
    answer = _post(client, event, people=2, note="Mit Rollstuhl.")
    assert answer.status_code == 200
    assert answer.json() == {
        "event": event.pk,
        "status": "registered",
        "people": 2,
        "organisation": None,
    }
    client.force_login(second)
    assert _post(client, event).json()["status"] == "waiting"

    client.force_login(first)
    cancelled = client.delete(_url(event))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert (
        Registration.objects.get(event=event, user=second).status == RegistrationStatus.REGISTERED
    )
    assert client.delete(_url(event)).status_code == 404


def test_a_representative_registers_the_organisation_with_the_people_it_sends(client):
    event = EventFactory(capacity=10)
    membership = MembershipFactory(municipality=event.municipality, role=Role.ORGANISATION)
    club = membership.organisation
    client.force_login(membership.user)

    answer = _post(client, event, people=3, organisation=club.slug)

    assert answer.status_code == 200
    assert answer.json()["organisation"] == club.slug
    assert Registration.objects.get(event=event, organisation=club).people == 3
    # The organisation's registration is taken back by naming it.
    assert client.delete(_url(event), QUERY_STRING=f"organisation={club.slug}").status_code == 200


def test_bad_registrations_are_refused_with_a_reason_and_nothing_is_stored(client):
    event = EventFactory(capacity=2)
    other = MembershipFactory(municipality=event.municipality, role=Role.ORGANISATION)
    person = resident_of(event)

    assert _post(client, event).status_code == 401  # nobody logged in
    client.force_login(person)
    for payload, status, reason in (
        ({"people": 0}, 400, "zwischen 1 und"),
        ({"people": 3}, 400, "nur 2 Plätze"),
        ({"people": "viele"}, 422, ""),
        ({"organisation": "gibt-es-nicht"}, 400, "Organisation"),
        ({"organisation": other.organisation.slug}, 403, "vertreten"),
    ):
        answer = _post(client, event, **payload)
        assert answer.status_code == status, payload
        assert reason in str(answer.json()), payload
    assert not Registration.objects.filter(event=event).exists()
    unpublished = EventFactory(project=event.project, is_published=False)
    assert _post(client, unpublished).status_code == 404

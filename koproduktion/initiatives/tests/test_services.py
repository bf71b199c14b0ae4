"""The initiative's way: start, support, join, ask, the administration's answer; needs and
offers. Each assertion is what the people involved would notice."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    person_with_role,
)
from koproduktion.notifications.models import Notification
from koproduktion.projects.models import Phase

from .. import services
from ..models import Initiative, NeedOffer, OfferStatus, State, StateChange
from .factories import initiative, need, requested, resident, staff_of, town

pytestmark = pytest.mark.django_db


def test_starting_makes_the_starter_an_initiator_and_it_collects_support():
    made = initiative()
    assert made.state == State.COLLECTING
    assert list(made.initiators.values_list("user_id", "is_starter")) == [
        (made.created_by_id, True)
    ]
    assert [c.new_state for c in StateChange.objects.filter(initiative=made)] == [
        State.DRAFT,
        State.COLLECTING,
    ]


def test_only_participants_of_the_town_start_one():
    place = town()
    stranger = person_with_role(town(), Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        initiative(place, actor=stranger)


def test_only_a_representative_starts_in_an_organisations_name():
    place = town()
    club = OrganisationFactory(municipality=place)
    with pytest.raises(ValidationError) as refused:
        initiative(place, organisation=club)
    assert "organisation" in refused.value.message_dict
    representative = person_with_role(place, Role.ORGANISATION)
    own = representative.memberships.get().organisation
    assert initiative(place, actor=representative, organisation=own).organisation == own


def test_support_counts_once_per_person_and_can_be_withdrawn():
    made = initiative()
    person = resident(made.municipality)
    services.initiative_support(actor=person, initiative=made)
    with pytest.raises(ValidationError):
        services.initiative_support(actor=person, initiative=made)
    assert Initiative.objects.get(pk=made.pk).support_count == 1
    assert services.initiative_unsupport(actor=person, initiative=made)
    assert not services.initiative_unsupport(actor=person, initiative=made)
    assert Initiative.objects.get(pk=made.pk).support_count == 0


def test_initiators_do_not_support_their_own():
    made = initiative()
    with pytest.raises(PermissionDenied):
        services.initiative_support(actor=made.created_by, initiative=made)


def test_asking_for_a_partner_needs_the_towns_threshold():
    made = initiative(town(threshold=2))
    services.initiative_support(actor=resident(made.municipality), initiative=made)
    with pytest.raises(ValidationError) as refused:
        services.initiative_request_partner(actor=made.created_by, initiative=made)
    assert "2" in refused.value.messages[0]
    services.initiative_support(actor=resident(made.municipality), initiative=made)
    coordination = person_with_role(made.municipality, Role.COORDINATION)
    asked = services.initiative_request_partner(actor=made.created_by, initiative=made)
    assert asked.state == State.REQUESTED
    assert Notification.objects.filter(user=coordination).exists()


@pytest.mark.parametrize(
    ("step", "state"),
    [
        ("publish", State.COLLECTING),
        ("request", State.DRAFT),
        ("withdraw", State.WITHDRAWN),
    ],
)
def test_illegal_transitions_are_refused_with_the_states_named(step, state):
    made = initiative(publish=state != State.DRAFT)
    if state == State.WITHDRAWN:
        services.initiative_withdraw(actor=made.created_by, initiative=made)
    run = {
        "publish": services.initiative_publish,
        "request": services.initiative_request_partner,
        "withdraw": services.initiative_withdraw,
    }[step]
    with pytest.raises(ValidationError) as refused:
        run(actor=made.created_by, initiative=made)
    assert str(State(state).label) in " ".join(refused.value.messages)
    assert Initiative.objects.get(pk=made.pk).state == state


def test_a_request_to_join_is_accepted_by_an_initiator():
    made = initiative()
    neighbour = resident(made.municipality)
    services.initiative_support(actor=neighbour, initiative=made)
    row = services.initiative_join(actor=neighbour, initiative=made, message="Ich gieße gern.")
    with pytest.raises(PermissionDenied):
        services.initiator_accept(actor=neighbour, join_request=row)
    services.initiator_accept(actor=made.created_by, join_request=row)
    made.refresh_from_db()
    assert made.support_count == 0  # now counted as an initiator, not twice
    assert Notification.objects.filter(user=neighbour, message__contains="Mit-Initiator").exists()
    # A co-initiator edits like the starter.
    services.initiative_update(actor=neighbour, initiative=made, title="Garten für alle")
    assert Initiative.objects.get(pk=made.pk).title == "Garten für alle"


def test_accepting_creates_a_draft_project_from_the_initiative():
    made = requested()
    department = DepartmentFactory(municipality=made.municipality)
    clerk = staff_of(department)
    supporter_ids = set(made.supporters.values_list("user_id", flat=True))
    project = services.initiative_accept(
        actor=clerk, initiative=made, department=department, contact_person=clerk
    )
    made.refresh_from_db()
    assert made.state == State.ACCEPTED
    assert made.project == project
    assert (made.partner_department, made.contact_person) == (department, clerk)
    assert project.title == made.title
    assert project.summary == made.summary
    assert made.why in project.description
    assert project.department == department
    assert project.neighbourhood == made.neighbourhood
    assert not project.is_published
    assert Phase.objects.filter(project=project).count() == 1
    told = set(
        Notification.objects.filter(message__contains="Gute Nachricht").values_list(
            "user_id", flat=True
        )
    )
    assert told == supporter_ids | {made.created_by_id}


def test_staff_partner_only_with_their_own_department_and_a_contact_from_it():
    made = requested()
    own = DepartmentFactory(municipality=made.municipality)
    other = DepartmentFactory(municipality=made.municipality)
    clerk = staff_of(own)
    with pytest.raises(ValidationError) as refused:
        services.initiative_accept(
            actor=clerk, initiative=made, department=other, contact_person=staff_of(other)
        )
    assert "department" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.initiative_accept(
            actor=clerk, initiative=made, department=own, contact_person=staff_of(other)
        )
    assert "contact_person" in refused.value.message_dict
    assert Initiative.objects.get(pk=made.pk).state == State.REQUESTED


def test_residents_cannot_answer_a_request():
    made = requested()
    department = DepartmentFactory(municipality=made.municipality)
    with pytest.raises(PermissionDenied):
        services.initiative_decline(actor=made.created_by, initiative=made, reason="Nein.")
    with pytest.raises(PermissionDenied):
        services.initiative_accept(
            actor=resident(made.municipality),
            initiative=made,
            department=department,
            contact_person=staff_of(department),
        )


def test_declining_needs_a_public_reason():
    made = requested()
    coordination = person_with_role(made.municipality, Role.COORDINATION)
    with pytest.raises(ValidationError) as refused:
        services.initiative_decline(actor=coordination, initiative=made, reason="  ")
    assert "reason" in refused.value.message_dict
    services.initiative_decline(
        actor=coordination, initiative=made, reason="Die Fläche ist verpachtet."
    )
    made.refresh_from_db()
    assert made.state == State.DECLINED
    assert made.decline_reason == "Die Fläche ist verpachtet."
    assert made.state_changes.last().reason == "Die Fläche ist verpachtet."


def test_a_collecting_initiative_cannot_be_accepted():
    made = initiative()
    department = DepartmentFactory(municipality=made.municipality)
    clerk = staff_of(department)
    with pytest.raises(ValidationError):
        services.initiative_accept(
            actor=clerk, initiative=made, department=department, contact_person=clerk
        )


def test_an_offer_is_decided_by_the_initiators_and_enough_fulfil_the_need():
    made = initiative()
    wanted = need(made, quantity=2)
    offers = [
        services.need_offer(
            actor=resident(made.municipality), need=wanted, message="Ich bringe eine Schubkarre."
        )
        for _ in range(3)
    ]
    with pytest.raises(PermissionDenied):
        services.offer_accept(actor=offers[1].user, offer=offers[0])
    services.offer_accept(actor=made.created_by, offer=offers[0])
    wanted.refresh_from_db()
    assert wanted.is_open
    services.offer_accept(actor=made.created_by, offer=offers[1])
    wanted.refresh_from_db()
    assert not wanted.is_open
    with pytest.raises(ValidationError):
        services.offer_accept(actor=made.created_by, offer=offers[2])
    services.offer_decline(actor=made.created_by, offer=offers[2])
    assert NeedOffer.objects.get(pk=offers[2].pk).status == OfferStatus.DECLINED


def test_an_offer_message_reaches_no_mailbox(mailoutbox):
    made = initiative()
    wanted = need(made)
    services.need_offer(
        actor=resident(made.municipality),
        need=wanted,
        message="Schreib an spam@example.com für billige Uhren",
        contact="spam@example.com",
    )
    notice = Notification.objects.get(user=made.created_by)
    assert "spam" not in notice.message
    assert all("spam" not in mail.body for mail in mailoutbox)
    assert all("spam@example.com" not in mail.to for mail in mailoutbox)


def test_offers_are_rate_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "offer": ("2/h", None)}
    made = initiative()
    person = resident(made.municipality)
    from koproduktion.core.ratelimit import RateLimited  # noqa: PLC0415

    for number in range(2):
        services.need_offer(actor=person, need=need(made), message=f"Angebot {number}")
    with pytest.raises(RateLimited):
        services.need_offer(actor=person, need=need(made), message="noch eins")

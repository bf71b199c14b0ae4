"""Proposing, confirming and declining organisations; impersonation; who acts for one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.actors import services
from koproduktion.actors.models import RepresentationRequest, RequestStatus
from koproduktion.core.models import AuditEntry, Membership, Organisation
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    person_with_role,
)
from koproduktion.events.models import Registration
from koproduktion.events.services import event_register, registration_cancel
from koproduktion.events.tests.factories import EventFactory
from koproduktion.implementation import services as implementation
from koproduktion.implementation.models import Commitment, Shift
from koproduktion.implementation.selectors import commitments_of
from koproduktion.implementation.tests.factories import ShiftFactory
from koproduktion.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _propose(town, person, name="Bürgerverein Nordstadt", **fields):
    return services.organisation_propose(
        actor=person, municipality=town, name=name, message="Vorsitzende.", **fields
    )


def _confirmed(town, name="Bürgerverein Nordstadt"):
    """A resident's proposal, confirmed by the town's admin: (organisation, representative)."""
    person = person_with_role(town, Role.RESIDENT)
    admin = person_with_role(town, Role.ADMIN)
    request = _propose(town, person, name=name)
    services.representation_request_accept(actor=admin, representation_request=request)
    return Organisation.objects.get(pk=request.organisation_id), person


def test_a_proposal_stays_unconfirmed_until_the_admin_confirms_it_and_the_person_is_told():
    town = MunicipalityFactory()
    person = person_with_role(town, Role.RESIDENT)
    admin = person_with_role(town, Role.ADMIN)
    request = _propose(town, person)
    organisation = request.organisation
    assert organisation.verified_at is None
    assert not Membership.objects.filter(user=person, role=Role.ORGANISATION).exists()
    assert Notification.objects.filter(user=admin).exists()

    services.representation_request_accept(actor=admin, representation_request=request)
    organisation.refresh_from_db()
    assert organisation.verified_by == admin
    assert organisation.verified_at is not None
    assert Membership.objects.filter(
        user=person, organisation=organisation, role=Role.ORGANISATION
    ).exists()
    assert Notification.objects.filter(user=person, message__contains="bestätigt").exists()
    assert AuditEntry.objects.filter(action="actors.representation_request_accept").exists()


def test_declining_needs_a_reason_and_frees_the_name():
    town = MunicipalityFactory()
    person = person_with_role(town, Role.RESIDENT)
    admin = person_with_role(town, Role.ADMIN)
    request = _propose(town, person)
    with pytest.raises(ValidationError) as refused:
        services.representation_request_decline(
            actor=admin, representation_request=request, reason=" "
        )
    assert "reason" in refused.value.message_dict
    services.representation_request_decline(
        actor=admin, representation_request=request, reason="Nicht nachvollziehbar."
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert request.organisation is None
    assert not Organisation.objects.filter(name="Bürgerverein Nordstadt").exists()
    assert Notification.objects.filter(
        user=person, message__contains="Nicht nachvollziehbar"
    ).exists()
    _propose(town, person_with_role(town, Role.RESIDENT))  # the name is free again


@pytest.mark.parametrize(
    "name",
    [
        "Stadtverwaltung",
        "Stadt Musterheim",
        "Rathaus Musterheim",
        "Musterheim",
        "Fachbereich Soziales",
        "bürgerverein altstadt e.V.",
        "Bürger-Verein Altstadt",
    ],
)
def test_residents_cannot_impersonate_the_town_or_an_existing_organisation(name):
    town = MunicipalityFactory(name="Musterheim")
    DepartmentFactory(municipality=town, name="Fachbereich Soziales")
    OrganisationFactory(municipality=town, name="Bürgerverein Altstadt")
    person = person_with_role(town, Role.RESIDENT)
    with pytest.raises(ValidationError) as refused:
        _propose(town, person, name=name)
    assert "name" in refused.value.message_dict
    assert not RepresentationRequest.objects.exists()


def test_only_participants_propose_and_only_admins_decide():
    town = MunicipalityFactory()
    outsider = person_with_role(MunicipalityFactory(), Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        _propose(town, outsider)
    request = _propose(town, person_with_role(town, Role.RESIDENT))
    for someone in (person_with_role(town, Role.RESIDENT), person_with_role(town, Role.STAFF)):
        with pytest.raises(PermissionDenied):
            services.representation_request_accept(actor=someone, representation_request=request)
    other_admin = person_with_role(MunicipalityFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.representation_request_accept(actor=other_admin, representation_request=request)


def test_joining_an_existing_organisation_waits_for_the_town_and_can_be_ended():
    town = MunicipalityFactory()
    organisation, first = _confirmed(town)
    second = person_with_role(town, Role.RESIDENT)
    request = services.representation_request_create(
        actor=second, organisation=organisation, message="Kassenwart."
    )
    with pytest.raises(ValidationError):
        services.representation_request_create(
            actor=second, organisation=organisation, message="Noch einmal."
        )
    admin = person_with_role(town, Role.ADMIN)
    services.representation_request_accept(actor=admin, representation_request=request)
    membership = Membership.objects.get(user=second, organisation=organisation)
    with pytest.raises(PermissionDenied):  # representatives do not remove each other
        services.representation_end(actor=first, membership=membership)
    with pytest.raises(ValidationError):  # the town's admins give a reason
        services.representation_end(actor=admin, membership=membership, reason="")
    services.representation_end(actor=second, membership=membership)
    assert not Membership.objects.filter(user=second, organisation=organisation).exists()


def test_a_person_may_represent_two_organisations():
    town = MunicipalityFactory()
    _organisation, person = _confirmed(town)
    other = OrganisationFactory(municipality=town, name="Kirchengemeinde")
    request = services.representation_request_create(
        actor=person, organisation=other, message="Küsterin."
    )
    services.representation_request_accept(
        actor=person_with_role(town, Role.ADMIN), representation_request=request
    )
    assert Membership.objects.filter(user=person, role=Role.ORGANISATION).count() == 2


def test_profile_is_kept_by_representatives_only_and_logged():
    town = MunicipalityFactory()
    organisation, person = _confirmed(town)
    services.organisation_profile_update(
        actor=person,
        organisation=organisation,
        description="Wir pflanzen Bäume.",
        kind="initiative",
    )
    organisation.refresh_from_db()
    assert organisation.description == "Wir pflanzen Bäume."
    assert organisation.kind == "initiative"
    assert AuditEntry.objects.filter(action="actors.organisation_profile_update").exists()
    with pytest.raises(PermissionDenied):
        services.organisation_profile_update(
            actor=person_with_role(town, Role.RESIDENT), organisation=organisation, description="x"
        )
    with pytest.raises(TypeError):
        services.organisation_profile_update(actor=person, organisation=organisation, name="Stadt")


def test_commit_as_the_organisation_counts_people_and_only_representatives_may():
    shift = ShiftFactory(capacity=5)
    town = shift.municipality
    organisation, person = _confirmed(town)
    stranger = person_with_role(town, Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        implementation.task_commit(
            actor=stranger, task=shift.task, shift=shift, organisation=organisation, people=2
        )
    for people, field in ((0, "people"), (6, "people")):
        with pytest.raises(ValidationError) as refused:
            implementation.task_commit(
                actor=person, task=shift.task, shift=shift, organisation=organisation, people=people
            )
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError):  # a person alone commits one
        implementation.task_commit(actor=stranger, task=shift.task, shift=shift, people=3)
    commitment = implementation.task_commit(
        actor=person, task=shift.task, shift=shift, organisation=organisation, people=4
    )
    assert Shift.objects.get(pk=shift.pk).taken == 4
    implementation.task_commit(actor=stranger, task=shift.task, shift=shift)
    with pytest.raises(ValidationError) as full:
        implementation.task_commit(
            actor=person_with_role(town, Role.RESIDENT), task=shift.task, shift=shift
        )
    assert "shift" in full.value.message_dict
    assert list(commitments_of(user=person)) == [commitment]

    # The representative steps down: they no longer act for it, its commitment stays.
    services.representation_end(
        actor=person, membership=Membership.objects.get(user=person, organisation=organisation)
    )
    assert list(commitments_of(user=person)) == []
    with pytest.raises(PermissionDenied):
        implementation.commitment_cancel(actor=person, commitment=commitment)
    with pytest.raises(PermissionDenied):
        implementation.task_commit(
            actor=person, task=shift.task, shift=shift, organisation=organisation, people=1
        )
    assert Commitment.objects.get(pk=commitment.pk).cancelled_at is None


def test_another_representative_cancels_and_the_places_come_back():
    shift = ShiftFactory(capacity=5)
    organisation, person = _confirmed(shift.municipality)
    commitment = implementation.task_commit(
        actor=person, task=shift.task, shift=shift, organisation=organisation, people=3
    )
    second = person_with_role(shift.municipality, Role.RESIDENT)
    request = services.representation_request_create(
        actor=second, organisation=organisation, message="Kassenwart."
    )
    services.representation_request_accept(
        actor=person_with_role(shift.municipality, Role.ADMIN), representation_request=request
    )
    implementation.commitment_cancel(actor=second, commitment=commitment)
    assert Shift.objects.get(pk=shift.pk).taken == 0


def test_register_for_an_event_as_the_organisation():
    event = EventFactory(capacity=10)
    organisation, person = _confirmed(event.municipality)
    stranger = person_with_role(event.municipality, Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        event_register(actor=stranger, event=event, people=3, organisation=organisation)
    registration = event_register(actor=person, event=event, people=3, organisation=organisation)
    assert registration.organisation == organisation
    event.refresh_from_db()
    assert event.taken == 3
    foreign = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        event_register(actor=person, event=event, people=1, organisation=foreign)
    with pytest.raises(PermissionDenied):
        registration_cancel(actor=stranger, registration=registration)
    registration_cancel(actor=person, registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MembershipFactory, UserFactory, person_with_role
from koproduktion.notifications.models import Notification
from koproduktion.sponsorships import services
from koproduktion.sponsorships.geo import objects_geojson
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus
from koproduktion.sponsorships.selectors import ObjectFilters, object_list
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _approved(obj, start, end, **fields):
    staff = person_with_role(obj.municipality, Role.STAFF)
    sponsor = person_with_role(obj.municipality, Role.RESIDENT, **fields)
    application = services.sponsorship_apply(actor=sponsor, obj=obj, motivation="Ich gieße gern.")
    return services.sponsorship_approve(
        actor=staff,
        sponsorship=application,
        term_start=start,
        term_end=end,
        duties="Im Sommer wöchentlich gießen.",
        insurance_note="Sammelversicherung des Landes.",
    )


def test_apply_approve_and_the_map_shows_it_sponsored():
    obj = SponsorshipObjectFactory()
    today = timezone.localdate()
    sponsorship = _approved(obj, today, today + 365 * DAY)
    assert sponsorship.status == SponsorshipStatus.APPROVED
    assert Notification.objects.get(user=sponsorship.sponsor).message.startswith("Ihre Patenschaft")
    listed = object_list(municipality=obj.municipality)
    feature = objects_geojson(listed, municipality=obj.municipality)["features"][0]
    assert feature["properties"]["sponsored"] is True
    assert feature["geometry"]["coordinates"] == [obj.longitude, obj.latitude]
    assert not object_list(
        municipality=obj.municipality, filters=ObjectFilters(available=True)
    ).exists()


def test_overlapping_terms_are_refused_and_nothing_changes():
    obj = SponsorshipObjectFactory()
    today = timezone.localdate()
    _approved(obj, today, today + 100 * DAY)
    staff = person_with_role(obj.municipality, Role.STAFF)
    second = services.sponsorship_apply(
        actor=person_with_role(obj.municipality, Role.RESIDENT), obj=obj
    )
    with pytest.raises(ValidationError, match="überschneiden"):
        services.sponsorship_approve(
            actor=staff,
            sponsorship=second,
            term_start=today + 50 * DAY,
            term_end=today + 200 * DAY,
            duties="Gießen",
        )
    second.refresh_from_db()
    assert second.status == SponsorshipStatus.APPLIED
    services.sponsorship_approve(
        actor=staff,
        sponsorship=second,
        term_start=today + 101 * DAY,
        term_end=today + 400 * DAY,
        duties="Gießen",
    )


def test_approval_needs_staff_duties_and_an_ordered_term():
    obj = SponsorshipObjectFactory()
    resident = person_with_role(obj.municipality, Role.RESIDENT)
    application = services.sponsorship_apply(actor=resident, obj=obj)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.sponsorship_approve(
            actor=resident,
            sponsorship=application,
            term_start=today,
            term_end=today + DAY,
            duties="x",
        )
    staff = person_with_role(obj.municipality, Role.STAFF)
    with pytest.raises(ValidationError, match="nach dem Beginn"):
        services.sponsorship_approve(
            actor=staff, sponsorship=application, term_start=today, term_end=today, duties="x"
        )
    with pytest.raises(ValidationError, match="Pflichten"):
        services.sponsorship_approve(
            actor=staff, sponsorship=application, term_start=today, term_end=today + DAY, duties=" "
        )


def test_applying_needs_a_confirmed_participant_and_own_organisation():
    obj = SponsorshipObjectFactory()
    with pytest.raises(PermissionDenied):
        services.sponsorship_apply(actor=UserFactory(), obj=obj)
    representative = UserFactory()
    membership = MembershipFactory(
        user=representative, municipality=obj.municipality, role=Role.ORGANISATION
    )
    other = MembershipFactory(
        user=UserFactory(), municipality=obj.municipality, role=Role.ORGANISATION
    )
    with pytest.raises(PermissionDenied, match="vertreten"):
        services.sponsorship_apply(actor=representative, obj=obj, organisation=other.organisation)
    sponsorship = services.sponsorship_apply(
        actor=representative, obj=obj, organisation=membership.organisation
    )
    assert sponsorship.sponsor_name == membership.organisation.name
    with pytest.raises(ValidationError, match="schon vor"):
        services.sponsorship_apply(actor=representative, obj=obj)


def test_reject_needs_a_reason_and_hand_back_frees_the_object():
    obj = SponsorshipObjectFactory()
    staff = person_with_role(obj.municipality, Role.STAFF)
    application = services.sponsorship_apply(
        actor=person_with_role(obj.municipality, Role.RESIDENT), obj=obj
    )
    with pytest.raises(ValidationError):
        services.sponsorship_reject(actor=staff, sponsorship=application, reason="")
    services.sponsorship_reject(
        actor=staff, sponsorship=application, reason="Der Baum wird gefällt."
    )
    today = timezone.localdate()
    running = _approved(obj, today - 10 * DAY, today + 300 * DAY)
    with pytest.raises(PermissionDenied):
        services.sponsorship_hand_back(
            actor=person_with_role(obj.municipality, Role.RESIDENT), sponsorship=running
        )
    services.sponsorship_hand_back(actor=running.sponsor, sponsorship=running, reason="Umzug")
    running.refresh_from_db()
    assert running.status == SponsorshipStatus.ENDED
    assert running.term_end == today
    assert object_list(
        municipality=obj.municipality, filters=ObjectFilters(available=True)
    ).exists()


def test_objects_must_lie_inside_the_town():
    obj = SponsorshipObjectFactory.build()
    town = obj.municipality
    town.area_south, town.area_west, town.area_north, town.area_east = 52.0, 9.0, 52.2, 9.5
    town.save()
    staff = person_with_role(town, Role.STAFF)
    with pytest.raises(ValidationError, match="außerhalb"):
        services.object_create(
            actor=staff, municipality=town, kind="bench", name="Bank", latitude=10.0, longitude=10.0
        )
    services.object_create(
        actor=staff,
        municipality=town,
        kind="bench",
        name="Bank am Teich",
        latitude=52.1,
        longitude=9.2,
    )


def test_renewal_reminders_go_out_once(settings):
    obj = SponsorshipObjectFactory()
    today = timezone.localdate()
    ending = _approved(obj, today - 300 * DAY, today + 20 * DAY)
    _approved(SponsorshipObjectFactory(municipality=obj.municipality), today, today + 200 * DAY)
    call_command("send_reminders", stdout=None)
    assert [message.to for message in mail.outbox] == [[ending.sponsor.email]]
    assert "endet" in mail.outbox[0].subject
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert Sponsorship.objects.filter(renewal_reminded_at__isnull=False).count() == 1

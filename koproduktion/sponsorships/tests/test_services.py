from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.notifications.models import Notification
from koproduktion.sponsorships import services
from koproduktion.sponsorships.geo import objects_geojson
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus
from koproduktion.sponsorships.selectors import ObjectFilters, object_get, object_list
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
    note = Notification.objects.get(user=sponsorship.sponsor)
    assert note.message.startswith("Ihre Patenschaft")
    assert note.get_kind_display() == "Patenschaft"
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
    refusal = Notification.objects.get(user=application.sponsor)
    assert "abgelehnt: Der Baum wird gefällt." in refusal.message
    assert refusal.get_kind_display() == "Patenschaft"
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


def _town_with_area():
    return MunicipalityFactory(area_south=52.0, area_west=9.0, area_north=52.2, area_east=9.5)


def test_staff_edit_an_object_with_the_checks_of_creating_it():
    obj = SponsorshipObjectFactory(municipality=_town_with_area())
    town = obj.municipality
    staff = person_with_role(town, Role.STAFF)
    quarter = NeighbourhoodFactory(municipality=town)
    updated = services.object_update(
        actor=staff,
        obj=obj,
        kind="bench",
        name="  Bank am Teich ",
        duties="Laub fegen.",
        neighbourhood=quarter,
        latitude=52.15,
        longitude=9.4,
    )
    obj.refresh_from_db()
    assert (obj.kind, obj.name, obj.duties, obj.neighbourhood) == (
        "bench",
        "Bank am Teich",
        "Laub fegen.",
        quarter,
    )
    assert (updated.latitude, updated.longitude) == (52.15, 9.4)
    with pytest.raises(ValidationError, match="außerhalb"):
        services.object_update(actor=staff, obj=obj, latitude=10.0, longitude=10.0)
    with pytest.raises(ValidationError) as refused:
        services.object_update(actor=staff, obj=obj, name="<b>Bank</b>")
    assert "name" in refused.value.error_dict
    elsewhere = NeighbourhoodFactory()
    with pytest.raises(ValidationError):
        services.object_update(actor=staff, obj=obj, neighbourhood=elsewhere)
    obj.refresh_from_db()
    assert (obj.name, obj.latitude, obj.neighbourhood) == ("Bank am Teich", 52.15, quarter)


@pytest.mark.parametrize("role", [Role.RESIDENT, None, "other town"])
def test_only_the_towns_administration_edits_and_retires_objects(role):
    obj = SponsorshipObjectFactory()
    if role == "other town":
        actor = person_with_role(MunicipalityFactory(), Role.STAFF)
    else:
        actor = person_with_role(obj.municipality, role)
    with pytest.raises(PermissionDenied):
        services.object_update(actor=actor, obj=obj, name="Umbenannt")
    with pytest.raises(PermissionDenied):
        services.object_retire(actor=actor, obj=obj, reason="Gefällt")
    obj.refresh_from_db()
    assert obj.name != "Umbenannt"
    assert obj.is_active


def test_retiring_ends_running_and_pending_sponsorships_and_tells_the_sponsors():
    obj = SponsorshipObjectFactory()
    today = timezone.localdate()
    running = _approved(obj, today - 100 * DAY, today + 200 * DAY)
    staff = person_with_role(obj.municipality, Role.STAFF)
    pending = services.sponsorship_apply(
        actor=person_with_role(obj.municipality, Role.RESIDENT), obj=obj
    )
    # The running sponsor also applied for the next term: they hear about it once.
    next_term = services.sponsorship_apply(actor=running.sponsor, obj=obj)
    earlier = services.sponsorship_apply(
        actor=person_with_role(obj.municipality, Role.RESIDENT), obj=obj
    )
    services.sponsorship_reject(actor=staff, sponsorship=earlier, reason="Schon vergeben.")
    notified_before = Notification.objects.count()

    services.object_retire(actor=staff, obj=obj, reason="  Der Baum wurde gefällt.  ")

    obj.refresh_from_db()
    assert not obj.is_active
    running.refresh_from_db()
    assert running.status == SponsorshipStatus.ENDED
    assert running.end_reason == "Der Baum wurde gefällt."
    assert running.ended_at is not None
    assert running.term_end == today
    for application in (pending, next_term):
        application.refresh_from_db()
        assert application.status == SponsorshipStatus.REJECTED
        assert application.decision_reason == "Der Baum wurde gefällt."
        assert application.decided_by == staff
    earlier.refresh_from_db()
    assert earlier.decision_reason == "Schon vergeben."
    assert Sponsorship.objects.filter(object=obj).count() == 4  # nothing deleted

    new = Notification.objects.order_by("pk")[notified_before:]
    by_user = {notification.user_id: notification.message for notification in new}
    assert len(new) == len(by_user) == 2
    assert "Patenschaft endet" in by_user[running.sponsor_id]
    assert "abgelehnt" in by_user[pending.sponsor_id]
    assert all("Der Baum wurde gefällt." in message for message in by_user.values())
    assert {notification.get_kind_display() for notification in new} == {"Patenschaft"}

    assert not object_list(municipality=obj.municipality).filter(pk=obj.pk).exists()
    assert object_get(municipality=obj.municipality, pk=obj.pk).is_active is False
    with pytest.raises(PermissionDenied, match="nicht mehr im Register"):
        services.sponsorship_apply(actor=person_with_role(obj.municipality, Role.RESIDENT), obj=obj)
    with pytest.raises(ValidationError, match="nicht mehr im Register"):
        services.object_retire(actor=staff, obj=obj, reason="Nochmal")


def test_retiring_needs_a_reason_and_then_changes_nothing():
    obj = SponsorshipObjectFactory()
    today = timezone.localdate()
    running = _approved(obj, today, today + 100 * DAY)
    staff = person_with_role(obj.municipality, Role.STAFF)
    with pytest.raises(ValidationError) as refused:
        services.object_retire(actor=staff, obj=obj, reason="   ")
    assert "reason" in refused.value.error_dict
    obj.refresh_from_db()
    running.refresh_from_db()
    assert obj.is_active
    assert running.status == SponsorshipStatus.APPROVED


def test_the_sponsor_reads_the_retirement_in_their_language():
    obj = SponsorshipObjectFactory()
    today = timezone.localdate()
    running = _approved(obj, today, today + 100 * DAY, language="en")
    staff = person_with_role(obj.municipality, Role.STAFF)
    services.object_retire(actor=staff, obj=obj, reason="Gefällt")
    message = Notification.objects.filter(user=running.sponsor).latest("pk").message
    assert message.startswith(f"“{obj.name}” is no longer in the register")

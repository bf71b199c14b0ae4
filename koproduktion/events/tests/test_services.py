"""Registration, the waiting list and promotion, capacity, cancellation, minutes."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import AuditEntry
from koproduktion.events import services
from koproduktion.events.models import Event, Registration, RegistrationStatus
from koproduktion.events.selectors import event_ideas, waiting_position
from koproduktion.ideas.models import Source
from koproduktion.ideas.services import idea_create
from koproduktion.notifications.models import Kind, Notification
from koproduktion.projects.tests.factories import staff_of

from .factories import EventFactory, coordination_of, in_days, resident_of

pytestmark = pytest.mark.django_db


def _status(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


def test_a_full_event_puts_newcomers_on_the_waiting_list():
    event = EventFactory(capacity=2)
    first, second, third = (resident_of(event) for _ in range(3))
    services.event_register(actor=first, event=event)
    services.event_register(actor=second, event=event)
    waiting = services.event_register(actor=third, event=event)
    assert waiting.status == RegistrationStatus.WAITING
    assert waiting_position(waiting) == 1
    event.refresh_from_db()
    assert event.taken == 2
    assert event.is_full


def test_a_cancellation_promotes_the_oldest_waiting_who_fits_and_tells_them(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=3)
    people = [resident_of(event) for _ in range(4)]
    mine = services.event_register(actor=people[0], event=event, people=2)
    services.event_register(actor=people[1], event=event)
    big = services.event_register(actor=people[2], event=event, people=3)  # waits, too big
    small = services.event_register(actor=people[3], event=event, people=2)  # waits
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=people[0], registration=mine)
    assert _status(big) == RegistrationStatus.WAITING
    assert _status(small) == RegistrationStatus.REGISTERED
    event.refresh_from_db()
    assert event.taken == 3
    told = Notification.objects.get(user=people[3], kind=Kind.EVENT)
    assert "Ein Platz ist frei geworden" in told.message
    assert [message.to for message in mail.outbox] == [[people[3].email]]
    assert not Notification.objects.filter(user=people[2]).exists()


def test_promotion_speaks_the_persons_language():
    event = EventFactory(capacity=1)
    first = resident_of(event)
    english = resident_of(event, language="en")
    mine = services.event_register(actor=first, event=event)
    services.event_register(actor=english, event=event)
    services.registration_cancel(actor=first, registration=mine)
    assert Notification.objects.get(user=english).message.startswith("A place has become free")


def test_capacity_can_not_go_below_the_confirmed_headcount():
    event = EventFactory(capacity=3)
    staff = staff_of(event.project)
    for person in (resident_of(event), resident_of(event)):
        services.event_register(actor=person, event=event)
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=staff, event=event, capacity=1)
    assert "capacity" in refused.value.message_dict
    event.refresh_from_db()
    assert event.capacity == 3


def test_more_places_move_the_waiting_list_up():
    event = EventFactory(capacity=1)
    staff = staff_of(event.project)
    services.event_register(actor=resident_of(event), event=event)
    waiting = services.event_register(actor=resident_of(event), event=event)
    services.event_update(actor=staff, event=event, capacity=2)
    assert _status(waiting) == RegistrationStatus.REGISTERED


def test_dates_out_of_order_are_refused_at_their_fields():
    event = EventFactory()
    staff = staff_of(event.project)
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=staff, event=event, ends_at=event.starts_at)
    assert "ends_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.event_update(
            actor=staff,
            event=event,
            registration_until=event.starts_at + datetime.timedelta(hours=1),
        )
    assert "registration_until" in refused.value.message_dict


def test_registration_closes_at_its_deadline_and_for_a_party_too_large():
    event = EventFactory(capacity=4, registration_until=in_days(-1))
    with pytest.raises(ValidationError, match="geschlossen"):
        services.event_register(actor=resident_of(event), event=event)
    open_event = EventFactory(capacity=4)
    with pytest.raises(ValidationError) as refused:
        services.event_register(actor=resident_of(open_event), event=open_event, people=5)
    assert "people" in refused.value.message_dict
    assert not Registration.objects.exists()


def test_nobody_registers_twice_but_may_come_back_after_cancelling():
    event = EventFactory(capacity=5)
    person = resident_of(event)
    registration = services.event_register(actor=person, event=event)
    with pytest.raises(ValidationError):
        services.event_register(actor=person, event=event)
    services.registration_cancel(actor=person, registration=registration)
    again = services.event_register(actor=person, event=event, people=2)
    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.REGISTERED
    event.refresh_from_db()
    assert event.taken == 2


def test_unconfirmed_or_foreign_people_cannot_register():
    event = EventFactory()
    unconfirmed = resident_of(event, email_confirmed_at=None)
    with pytest.raises(PermissionDenied):
        services.event_register(actor=unconfirmed, event=event)
    stranger = resident_of(EventFactory())
    with pytest.raises(PermissionDenied):
        services.event_register(actor=stranger, event=event)


def test_cancelling_the_event_tells_everyone_registered_or_waiting_and_is_logged():
    event = EventFactory(capacity=1)
    staff = staff_of(event.project)
    coming, waiting = resident_of(event), resident_of(event)
    services.event_register(actor=coming, event=event)
    services.event_register(actor=waiting, event=event)
    with pytest.raises(ValidationError) as refused:
        services.event_cancel(actor=staff, event=event, reason=" ")
    assert "reason" in refused.value.message_dict
    services.event_cancel(actor=staff, event=event, reason="Der Saal ist wegen Wasserschaden zu.")
    event.refresh_from_db()
    assert event.is_cancelled
    told = set(Notification.objects.filter(kind=Kind.EVENT).values_list("user_id", flat=True))
    assert told == {coming.pk, waiting.pk}
    assert AuditEntry.objects.filter(action="events.event_cancel", actor=staff).exists()


def test_only_those_who_manage_the_project_or_the_town_set_up_events():
    event = EventFactory()
    other_staff = staff_of(EventFactory().project)
    with pytest.raises(PermissionDenied):
        services.event_update(actor=other_staff, event=event, title="Umbenannt")
    town_event = EventFactory(project=None, municipality=event.municipality)
    with pytest.raises(PermissionDenied):
        services.event_update(actor=staff_of(event.project), event=town_event, title="Neu")
    coordination = coordination_of(event.municipality)
    services.event_update(actor=coordination, event=town_event, title="Neu und gut")
    assert Event.objects.get(pk=town_event.pk).title == "Neu und gut"


def test_minutes_link_ideas_and_ideas_recorded_on_site_count_as_the_events():
    event = EventFactory(starts_at=in_days(-2), ends_at=in_days(-2) + datetime.timedelta(hours=2))
    staff = staff_of(event.project)
    recorded = idea_create(
        actor=staff,
        project=event.project,
        title="Bänke am Ufer",
        text="Mehr Bänke am Ufer, sagte eine Teilnehmerin.",
        source=Source.WORKSHOP,
        source_event=event,
    )
    assert recorded.source_event == event
    assert recorded.author is None
    other = idea_create(
        actor=staff,
        project=event.project,
        title="Licht im Park",
        text="Der Weg durch den Park ist abends dunkel.",
        source=Source.PAPER,
    )
    services.event_minutes_set(
        actor=staff, event=event, minutes="Es ging um **Bänke**.", ideas=[other]
    )
    assert set(event_ideas(event=event)) == {recorded, other}


def test_minutes_wait_until_the_event_began():
    event = EventFactory()
    with pytest.raises(ValidationError) as refused:
        services.event_minutes_set(actor=staff_of(event.project), event=event, minutes="Zu früh")
    assert "minutes" in refused.value.message_dict


def test_deleting_the_account_frees_the_place_for_the_waiting_list():
    event = EventFactory(capacity=1)
    leaving, waiting = resident_of(event), resident_of(event)
    services.event_register(actor=leaving, event=event)
    next_one = services.event_register(actor=waiting, event=event)
    services.registrations_release(user=leaving)
    assert _status(next_one) == RegistrationStatus.REGISTERED
    assert not Registration.objects.filter(user=leaving).exists()

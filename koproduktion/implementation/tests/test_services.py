"""Tasks, shifts and commitments: creating them, signing up within capacity, reporting back."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koproduktion.core.ratelimit import RateLimited
from koproduktion.core.tests.factories import (
    UserFactory,
)
from koproduktion.implementation import services
from koproduktion.implementation.models import (
    CalendarToken,
    Commitment,
    Shift,
    Task,
)
from koproduktion.implementation.selectors import free_places, task_list
from koproduktion.implementation.tests.factories import (
    ShiftFactory,
    TaskFactory,
    in_days,
    resident_of,
    staff_of,
)
from koproduktion.notifications.models import Notification
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_task_with_two_shifts():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    task = services.task_create(
        actor=staff_of(project),
        project=project,
        title="Wände streichen",
        address="Nordstraße 12",
        contact_name="Herr Maler",
        capacity=4,
        shifts=[
            services.ShiftSpec(in_days(3, 9), in_days(3, 12)),
            services.ShiftSpec(in_days(3, 13), in_days(3, 16), capacity=2),
        ],
        is_published=True,
    )
    assert [shift.capacity for shift in task.shifts.all()] == [4, 2]
    assert free_places(task_list(project=project, user=None).get()) == 6


def test_a_task_needs_a_date_or_shifts_and_a_place_inside_the_town():
    project = ProjectFactory(
        phase=PhaseKind.IMPLEMENTATION,
        municipality__area_south=52.0,
        municipality__area_west=9.0,
        municipality__area_north=52.2,
        municipality__area_east=9.5,
    )
    staff = staff_of(project)
    common = {
        "actor": staff,
        "project": project,
        "title": "Aufräumen",
        "address": "Park",
        "contact_name": "Frau A",
    }
    with pytest.raises(ValidationError, match="Datum"):
        services.task_create(**common)
    with pytest.raises(ValidationError, match="außerhalb"):
        services.task_create(**common, date=timezone.localdate(), latitude=48.0, longitude=11.0)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        services.task_create(**common, shifts=[services.ShiftSpec(in_days(-1), in_days(-1, 12))])
    assert not Task.objects.exists()


def test_residents_may_not_create_tasks():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=resident_of(project),
            project=project,
            title="X",
            address="Y",
            contact_name="Z",
            date=timezone.localdate(),
        )


def test_commit_within_capacity_then_full():
    shift = ShiftFactory(capacity=2)
    project = shift.task.project
    first, second, third = (resident_of(project) for _ in range(3))
    services.task_commit(actor=first, task=shift.task, shift=shift)
    services.task_commit(actor=second, task=shift.task, shift=shift, share_contact=True)
    with pytest.raises(ValidationError, match="schon voll"):
        services.task_commit(actor=third, task=shift.task, shift=shift)
    shift.refresh_from_db()
    assert shift.taken == 2
    assert Commitment.objects.filter(shift=shift).count() == 2


def test_signing_up_and_cancelling_in_a_loop_is_rate_limited(settings):
    settings.RATE_LIMITS = {"signup": ("2/h", None)}
    task = TaskFactory(capacity=5)
    person = resident_of(task.project)
    services.commitment_cancel(
        actor=person, commitment=services.task_commit(actor=person, task=task)
    )
    services.task_commit(actor=person, task=task)
    other_task = TaskFactory(project=task.project)
    with pytest.raises(RateLimited):
        services.task_commit(actor=person, task=other_task)
    assert not Commitment.objects.filter(task=other_task).exists()
    services.task_commit(actor=resident_of(task.project), task=other_task)  # others still can


def test_one_commitment_per_person_and_cancel_frees_the_place():
    task = TaskFactory(capacity=1)
    person, other = resident_of(task.project), resident_of(task.project)
    commitment = services.task_commit(actor=person, task=task)
    with pytest.raises(ValidationError, match="schon zugesagt"):
        services.task_commit(actor=person, task=task)
    with pytest.raises(ValidationError, match="Alle Plätze"):
        services.task_commit(actor=other, task=task)
    with pytest.raises(PermissionDenied):
        services.commitment_cancel(actor=other, commitment=commitment)
    services.commitment_cancel(actor=person, commitment=commitment)
    task.refresh_from_db()
    assert task.taken == 0
    services.task_commit(actor=other, task=task)
    services.task_commit(actor=person, task=TaskFactory(project=task.project))


def test_past_shifts_and_days_take_no_sign_ups():
    shift = ShiftFactory()
    Shift.objects.filter(pk=shift.pk).update(starts_at=in_days(-1, 9), ends_at=in_days(-1, 12))
    shift.refresh_from_db()
    person = resident_of(shift.task.project)
    with pytest.raises(ValidationError, match="schon begonnen"):
        services.task_commit(actor=person, task=shift.task, shift=shift)
    task = TaskFactory(
        project=shift.task.project, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="vorbei"):
        services.task_commit(actor=person, task=task)
    assert not Commitment.objects.exists()


def test_shift_tasks_need_a_shift_of_their_own():
    shift = ShiftFactory()
    other = ShiftFactory()
    person = resident_of(shift.task.project)
    with pytest.raises(ValidationError, match="Schicht"):
        services.task_commit(actor=person, task=shift.task)
    with pytest.raises(ValidationError, match="anderen Aufgabe"):
        services.task_commit(actor=person, task=shift.task, shift=other)


def test_refusals_name_the_reason():
    task = TaskFactory(project__phase=PhaseKind.DIALOGUE)
    with pytest.raises(PermissionDenied, match="Phase"):
        services.task_commit(actor=resident_of(task.project), task=task)
    draft = TaskFactory(is_published=False)
    with pytest.raises(PermissionDenied, match="nicht veröffentlicht"):
        services.task_commit(actor=resident_of(draft.project), task=draft)
    unconfirmed = resident_of(draft.project, email_confirmed_at=None)
    with pytest.raises(PermissionDenied, match="bestätigen"):
        services.task_commit(actor=unconfirmed, task=TaskFactory(project=draft.project))


def test_report_done_with_hours():
    task = TaskFactory(date=timezone.localdate())
    person = resident_of(task.project)
    commitment = services.task_commit(actor=person, task=task)
    with pytest.raises(ValidationError):
        services.commitment_report_done(actor=person, commitment=commitment, hours=Decimal("30"))
    services.commitment_report_done(actor=person, commitment=commitment, hours=Decimal("2.5"))
    commitment.refresh_from_db()
    assert commitment.done_at is not None
    assert commitment.hours == Decimal("2.5")
    later = services.task_commit(actor=person, task=TaskFactory(project=task.project))
    with pytest.raises(ValidationError, match="sobald"):
        services.commitment_report_done(actor=person, commitment=later)


def test_deleting_a_task_tells_the_committed_people_first():
    shift = ShiftFactory()
    task = shift.task
    people = [resident_of(task.project) for _ in range(2)]
    for person in people:
        services.task_commit(actor=person, task=task, shift=shift)
    services.commitment_cancel(actor=people[1], commitment=Commitment.objects.get(user=people[1]))
    told = services.task_delete(actor=staff_of(task.project), task=task, reason="Es regnet.")
    assert told == 1
    notification = Notification.objects.get()
    assert notification.user == people[0]
    assert "fällt aus" in notification.message
    assert "Es regnet." in notification.message
    assert notification.get_kind_display() == "Aufgabe"
    assert not Task.objects.exists()


def test_a_cancelled_task_is_announced_in_each_readers_language():
    task = TaskFactory(title="Beete anlegen")
    english = resident_of(task.project, language="en")
    services.task_commit(actor=english, task=task)
    services.task_delete(actor=staff_of(task.project), task=task, reason="Es regnet.")
    message = Notification.objects.get(user=english).message
    assert message.startswith("The task “Beete anlegen”")
    assert message.endswith("has been cancelled. Es regnet.")


def test_calendar_token_is_stored_as_hash_and_revocable():
    person = UserFactory()
    token = services.calendar_token_create(user=person)
    assert services.calendar_token_user(token=token) == person
    assert token not in CalendarToken.objects.get().token_hash
    newer = services.calendar_token_create(user=person)
    assert services.calendar_token_user(token=token) is None
    assert services.calendar_token_user(token=newer) == person
    services.calendar_token_revoke(user=person)
    assert services.calendar_token_user(token=newer) is None

"""The workshop screen's services: who may use it and when, anonymous people at the tablet whose
votes count in the map, sign-ups on behalf within capacity."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koproduktion.core.models import AuditEntry
from koproduktion.events.selectors import event_collected
from koproduktion.events.tests.factories import EventFactory, resident_of
from koproduktion.ideas.models import Source
from koproduktion.implementation.models import Commitment, Shift
from koproduktion.implementation.services import commitment_contacts_clear
from koproduktion.implementation.tests.factories import ShiftFactory, TaskFactory
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import OpinionMap, StatementVote
from koproduktion.opinions.tests.factories import OpinionMapFactory, StatementFactory
from koproduktion.projects.tests.factories import staff_of
from koproduktion.workshop import services

pytestmark = pytest.mark.django_db


def running_event(**fields):
    """An event that began half an hour ago."""
    start = timezone.now() - datetime.timedelta(minutes=30)
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **fields)


def test_an_idea_is_recorded_with_the_event_as_source_and_the_initials_as_byline():
    event = running_event()
    idea = services.workshop_idea_record(
        actor=staff_of(event.project),
        event=event,
        title="Mehr Bänke am Ufer",
        text="Zum Ausruhen fehlen Bänke am Ufer.",
        initials="K. M.",
    )
    assert idea.source == Source.WORKSHOP
    assert idea.source_event == event
    assert idea.author is None
    assert idea.byline == "K. M."
    assert event_collected(event=event).ideas == 1


def test_only_those_who_run_the_event_may_use_the_screen():
    event = running_event()
    for outsider in (resident_of(event), staff_of(EventFactory().project)):
        with pytest.raises(PermissionDenied):
            services.workshop_idea_record(
                actor=outsider, event=event, title="Mehr Bänke", text="Am Ufer fehlen Bänke."
            )
        with pytest.raises(PermissionDenied):
            services.workshop_person_start(actor=outsider, event=event)


@pytest.mark.parametrize(
    ("starts_in", "open_"),
    [
        (datetime.timedelta(hours=2), False),  # opens one hour before the start
        (datetime.timedelta(minutes=50), True),
        (-datetime.timedelta(hours=5), True),  # ended three hours ago: still open
        (-datetime.timedelta(hours=7), False),  # ended five hours ago: closed
    ],
)
def test_the_screen_is_open_from_an_hour_before_to_four_hours_after(starts_in, open_):
    start = timezone.now() + starts_in
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    assert (services.closed_reason(event=event) is None) is open_
    if not open_:
        with pytest.raises(PermissionDenied, match="Werkstatt-Modus"):
            services.workshop_idea_record(
                actor=staff_of(event.project),
                event=event,
                title="Mehr Bänke",
                text="Am Ufer fehlen Bänke.",
            )


def test_a_cancelled_event_records_nothing():
    event = running_event(status="cancelled", cancel_reason="Sturm")
    with pytest.raises(PermissionDenied, match="abgesagt"):
        services.workshop_person_start(actor=staff_of(event.project), event=event)


def test_people_at_the_tablet_vote_anonymously_and_count_in_the_map():
    event = running_event()
    project = event.project
    OpinionMapFactory(project=project)
    statements = [StatementFactory(project=project) for _ in range(3)]
    staff = staff_of(project)
    first = services.workshop_person_start(actor=staff, event=event)
    second = services.workshop_person_start(actor=staff, event=event)
    assert (first.external_id, second.external_id) == (
        f"event-{event.pk}-1",
        f"event-{event.pk}-2",
    )
    assert first.user is None
    for statement in statements:
        services.workshop_vote_cast(
            actor=staff, event=event, participant=first, statement=statement, value=1
        )
        services.workshop_vote_cast(
            actor=staff, event=event, participant=second, statement=statement, value=-1
        )
    # Answering again replaces the answer: never more votes than statements per person.
    services.workshop_vote_cast(
        actor=staff, event=event, participant=first, statement=statements[0], value=0
    )
    assert StatementVote.objects.filter(participant=first).count() == 3
    assert event_collected(event=event).votes == 6
    opinion_map_compute(opinion_map=OpinionMap.objects.get(project=project))
    assert OpinionMap.objects.get(project=project).result["voters"] == 2
    # Starting a person is logged; their answers are not.
    assert AuditEntry.objects.filter(action="workshop.workshop_person_start").count() == 2


def test_a_participant_of_another_event_cannot_vote_at_this_tablet():
    event = running_event()
    OpinionMapFactory(project=event.project)
    statement = StatementFactory(project=event.project)
    other = running_event(project=event.project)
    staff = staff_of(event.project)
    stranger = services.workshop_person_start(actor=staff, event=other)
    with pytest.raises(PermissionDenied):
        services.workshop_vote_cast(
            actor=staff, event=event, participant=stranger, statement=statement, value=1
        )


def test_no_map_no_tablet_person():
    event = running_event()
    with pytest.raises(PermissionDenied, match="kein Meinungsbild"):
        services.workshop_person_start(actor=staff_of(event.project), event=event)


def test_a_signup_on_behalf_respects_the_shift_capacity():
    event = running_event()
    shift = ShiftFactory(task__project=event.project, capacity=1)
    staff = staff_of(event.project)
    commitment = services.workshop_signup(
        actor=staff,
        event=event,
        task=shift.task,
        shift=shift,
        name="Karla Meier",
        phone="0171 234567",
    )
    assert commitment.user is None
    assert commitment.source_event == event
    assert commitment.person == "Karla Meier"
    assert Shift.objects.get(pk=shift.pk).taken == 1
    with pytest.raises(ValidationError, match="schon voll"):
        services.workshop_signup(
            actor=staff, event=event, task=shift.task, shift=shift, name="Ole Hansen"
        )
    assert event_collected(event=event).signups == 1
    entry = AuditEntry.objects.get(action="implementation.commitment_record_on_site")
    # The log names the task and shift, not the person.
    assert "Karla" not in f"{entry.target_repr} {entry.before} {entry.after}"


def test_a_signup_needs_a_name_and_a_valid_address():
    event = running_event()
    task = TaskFactory(project=event.project)
    staff = staff_of(event.project)
    with pytest.raises(ValidationError) as empty:
        services.workshop_signup(actor=staff, event=event, task=task, shift=None, name="  ")
    assert "name" in empty.value.error_dict
    with pytest.raises(ValidationError) as bad:
        services.workshop_signup(
            actor=staff, event=event, task=task, shift=None, name="Ole", email="kein-at"
        )
    assert "email" in bad.value.error_dict
    assert not Commitment.objects.exists()


def test_a_task_of_another_project_is_refused():
    event = running_event()
    task = TaskFactory()
    with pytest.raises(PermissionDenied):
        services.workshop_signup(
            actor=staff_of(event.project), event=event, task=task, shift=None, name="Ole"
        )


def test_retention_forgets_the_names_and_contacts_written_on_site():
    event = running_event()
    task = TaskFactory(project=event.project)
    services.workshop_signup(
        actor=staff_of(event.project),
        event=event,
        task=task,
        shift=None,
        name="Karla Meier",
        email="karla@example.org",
    )
    commitment_contacts_clear(commitments=Commitment.objects.filter(project=event.project))
    commitment = Commitment.objects.get()
    assert (commitment.contributor_name, commitment.email) == ("", "")
    assert commitment.person == "anonym"


def test_a_tablet_starts_no_more_people_than_an_event_can_have(settings):
    """A session left open at the tablet cannot fill the map with made-up people: past the bound
    for one event, "Neue Person" is refused with the reason, and nobody is added."""
    settings.WORKSHOP_PEOPLE_PER_EVENT = 3
    event = running_event()
    OpinionMapFactory(project=event.project)
    staff = staff_of(event.project)
    for _ in range(3):
        services.workshop_person_start(actor=staff, event=event)
    with pytest.raises(PermissionDenied, match="schon 3 Personen mitgemacht"):
        services.workshop_person_start(actor=staff, event=event)
    assert event.project.opinion_participants.count() == 3


def test_staff_cancel_a_signup_written_down_on_site_and_the_place_is_free_again(client):
    """Karla, signed up at the event without an account, calls to cancel: the project's staff
    cancel it on the task's page; the place is free for the next person. Nobody else may, and
    sign-ups made with an account stay their makers' to cancel."""
    from django.urls import reverse  # noqa: PLC0415

    from koproduktion.implementation.services import commitment_cancel_on_site  # noqa: PLC0415

    event = running_event()
    shift = ShiftFactory(task__project=event.project, task__is_published=True, capacity=1)
    task, project = shift.task, event.project
    staff = staff_of(project)
    karla = services.workshop_signup(
        actor=staff, event=event, task=task, shift=shift, name="Karla Meier"
    )
    args = [project.municipality.slug, project.slug, task.pk]
    cancel = reverse("implementation:on_site_cancel", args=[*args, karla.pk])

    client.force_login(resident_of(project))
    client.post(cancel)
    assert Shift.objects.get(pk=shift.pk).taken == 1

    client.force_login(staff)
    page = client.get(reverse("implementation:task", args=args)).content.decode()
    assert "Zusage von Karla Meier absagen" in page
    response = client.post(cancel, follow=True)
    assert "Die Zusage von Karla Meier ist abgesagt" in response.content.decode()
    assert Shift.objects.get(pk=shift.pk).taken == 0
    services.workshop_signup(actor=staff, event=event, task=task, shift=shift, name="Ole Hansen")
    entry = AuditEntry.objects.get(action="implementation.commitment_cancel_on_site")
    assert "Karla" not in f"{entry.target_repr} {entry.before} {entry.after}"
    with pytest.raises(ValidationError, match="schon abgesagt"):
        commitment_cancel_on_site(actor=staff, commitment=Commitment.objects.get(pk=karla.pk))

    own = Commitment.objects.create(
        municipality=project.municipality,
        project=project,
        task=task,
        user=resident_of(project),
    )
    with pytest.raises(PermissionDenied, match="Meine Zusagen"):
        commitment_cancel_on_site(actor=staff, commitment=own)
    other_task = TaskFactory(project=project)
    wrong = reverse("implementation:on_site_cancel", args=[*args[:2], other_task.pk, karla.pk])
    assert client.post(wrong).status_code == 404

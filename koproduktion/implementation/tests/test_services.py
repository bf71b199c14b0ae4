from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koproduktion.core.ratelimit import RateLimited
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.implementation import services
from koproduktion.implementation.models import (
    CalendarToken,
    Commitment,
    MilestoneStatus,
    Shift,
    Task,
)
from koproduktion.implementation.selectors import free_places, progress_of, task_list
from koproduktion.implementation.tests.factories import (
    MilestoneFactory,
    ShiftFactory,
    TaskFactory,
    in_days,
    resident_of,
    staff_of,
)
from koproduktion.notifications.models import Notification
from koproduktion.notifications.services import follow
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
    assert not Task.objects.exists()


def test_milestone_progress_is_weighted_and_delay_needs_a_reason():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff = staff_of(project)
    follower = resident_of(project)
    follow(user=follower, project=project)
    big = services.milestone_create(
        actor=staff,
        project=project,
        title="Umbau",
        target_date=timezone.localdate(),
        weight=3,
        responsible_department=DepartmentFactory(municipality=project.municipality),
    )
    small = services.milestone_create(
        actor=staff,
        project=project,
        title="Eröffnung",
        target_date=timezone.localdate(),
        responsible_group="Nachbarschaftsgruppe Nord",
    )
    assert progress_of([big, small]) == 0
    services.milestone_update(actor=staff, milestone=big, status=MilestoneStatus.DONE)
    assert big.percent_complete == 100
    assert progress_of([big, small]) == 75
    with pytest.raises(ValidationError, match="warum"):
        services.milestone_update(actor=staff, milestone=small, status=MilestoneStatus.DELAYED)
    services.milestone_update(
        actor=staff, milestone=small, status=MilestoneStatus.DELAYED, delay_reason="Lieferung fehlt"
    )
    messages = list(Notification.objects.filter(user=follower).values_list("message", flat=True))
    assert any("erreicht" in message for message in messages)
    assert any("verzögert" in message for message in messages)


def test_milestones_link_ideas_of_their_project_only():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    own, foreign = IdeaFactory(project=project), IdeaFactory()
    staff = staff_of(project)
    milestone = services.milestone_create(
        actor=staff, project=project, title="Bänke", target_date=timezone.localdate(), ideas=[own]
    )
    assert list(milestone.ideas.all()) == [own]
    with pytest.raises(ValidationError, match="diesem Vorhaben"):
        services.milestone_update(actor=staff, milestone=milestone, ideas=[foreign])


def test_one_responsible_per_milestone():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    with pytest.raises(ValidationError, match="genau eine"):
        services.milestone_create(
            actor=staff_of(project),
            project=project,
            title="Doppelt",
            target_date=timezone.localdate(),
            responsible_group="Gruppe",
            responsible_department=DepartmentFactory(municipality=project.municipality),
        )


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


def test_organisation_representatives_of_a_responsible_organisation_may_post_updates():
    milestone = MilestoneFactory()
    project = milestone.project
    representative = UserFactory()
    membership = MembershipFactory(
        user=representative, municipality=project.municipality, role=Role.ORGANISATION
    )
    assert not rules.test_rule("implementation.can_post_update", representative, project)
    milestone.responsible_organisation = membership.organisation
    milestone.save()
    assert rules.test_rule("implementation.can_post_update", representative, project)
    member = person_with_role(project.municipality, Role.RESIDENT)
    milestone.group_members.add(member)
    assert rules.test_rule("implementation.can_post_update", member, project)


def _group_milestone(project, staff, members=()):
    return services.milestone_create(
        actor=staff,
        project=project,
        title="Eröffnungsfest",
        target_date=timezone.localdate(),
        responsible_group="Nachbarschaftsgruppe Nord",
        group_members=members,
    )


def _told(person) -> list[Notification]:
    return list(Notification.objects.filter(user=person))


def test_new_group_members_are_told_once_and_may_report_progress():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff, anna, bert = staff_of(project), resident_of(project), resident_of(project)
    milestone = _group_milestone(project, staff, [anna])
    (note,) = _told(anna)
    assert "Nachbarschaftsgruppe Nord" in note.message
    assert "Fortschrittsberichte" in note.message
    assert note.url.endswith(f"/umsetzung/#meilenstein-{milestone.pk}")
    assert rules.test_rule("implementation.can_post_update", anna, project)
    assert not rules.test_rule("implementation.can_post_update", bert, project)

    services.milestone_update(actor=staff, milestone=milestone, group_members=[anna, bert])
    assert set(milestone.group_members.all()) == {anna, bert}
    assert len(_told(anna)) == 1  # already a member: nothing new
    assert len(_told(bert)) == 1
    assert not _told(staff)


def test_members_are_kept_unless_given_and_an_empty_list_removes_all():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff, anna = staff_of(project), resident_of(project)
    milestone = _group_milestone(project, staff, [anna])
    services.milestone_update(actor=staff, milestone=milestone, title="Sommerfest")
    assert list(milestone.group_members.all()) == [anna]
    services.milestone_update(actor=staff, milestone=milestone, group_members=[])
    assert not milestone.group_members.exists()
    assert not rules.test_rule("implementation.can_post_update", anna, project)


def test_a_department_or_organisation_in_charge_ends_the_group():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff, anna = staff_of(project), resident_of(project)
    milestone = _group_milestone(project, staff, [anna])
    department = DepartmentFactory(municipality=project.municipality)
    with pytest.raises(ValidationError, match="nur bei einer verantwortlichen Gruppe"):
        services.milestone_update(
            actor=staff,
            milestone=milestone,
            responsible_group="",
            responsible_department=department,
            group_members=[anna],
        )
    milestone.refresh_from_db()
    services.milestone_update(
        actor=staff, milestone=milestone, responsible_group="", responsible_department=department
    )
    assert not milestone.group_members.exists()
    assert not rules.test_rule("implementation.can_post_update", anna, project)


def test_members_need_a_group_and_a_role_in_the_town():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff = staff_of(project)
    with pytest.raises(ValidationError, match="nur bei einer verantwortlichen Gruppe"):
        services.milestone_create(
            actor=staff,
            project=project,
            title="Ohne Gruppe",
            target_date=timezone.localdate(),
            group_members=[resident_of(project)],
        )
    stranger = person_with_role(ProjectFactory().municipality, Role.RESIDENT)
    with pytest.raises(ValidationError, match="Rolle in"):
        _group_milestone(project, staff, [stranger])
    assert not Notification.objects.filter(user=stranger).exists()


def test_a_member_leaves_the_group_and_may_no_longer_report():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff, anna, bert = staff_of(project), resident_of(project), resident_of(project)
    milestone = _group_milestone(project, staff, [anna, bert])
    services.milestone_leave_group(actor=anna, milestone=milestone)
    assert list(milestone.group_members.all()) == [bert]
    assert not rules.test_rule("implementation.can_post_update", anna, project)
    with pytest.raises(PermissionDenied, match="nicht zu dieser Gruppe"):
        services.milestone_leave_group(actor=anna, milestone=milestone)
    with pytest.raises(PermissionDenied):
        services.milestone_leave_group(actor=staff, milestone=milestone)
    assert list(milestone.group_members.all()) == [bert]


def test_followers_read_milestone_and_report_notices_in_their_own_language():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    staff = staff_of(project)
    english = resident_of(project)
    english.language = "en"
    english.save(update_fields=["language"])
    follow(user=english, project=project)
    milestone = services.milestone_create(
        actor=staff,
        project=project,
        title="Umbau",
        target_date=timezone.localdate(),
        responsible_department=DepartmentFactory(municipality=project.municipality),
    )
    services.milestone_update(actor=staff, milestone=milestone, status=MilestoneStatus.DONE)
    services.update_post(actor=staff, project=project, text="Die Bänke stehen.")
    messages = list(Notification.objects.filter(user=english).values_list("message", flat=True))
    assert any(message.startswith("Milestone reached") for message in messages), messages
    assert any(message.startswith("New progress report") for message in messages), messages

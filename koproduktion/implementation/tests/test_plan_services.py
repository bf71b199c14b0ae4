"""The plan: milestones, their progress and responsibles, resident groups, progress reports."""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

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
    MilestoneStatus,
)
from koproduktion.implementation.selectors import progress_of
from koproduktion.implementation.tests.factories import (
    MilestoneFactory,
    resident_of,
    staff_of,
)
from koproduktion.notifications.models import Notification
from koproduktion.notifications.services import follow
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


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
    # Filed under implementation, not as an idea's new status.
    assert {note.get_kind_display() for note in _told(follower)} == {"Umsetzung"}


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
    assert note.get_kind_display() == "Umsetzung"
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

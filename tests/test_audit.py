"""What the administration's log records across the apps (which services write to it:
test_audit_coverage.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from koproduktion.core.audit import REDACTED, REGISTRY, action_name, audited
from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_revoke, role_grant, tenant_record_save
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.decisions.models import Ballot
from koproduktion.decisions.services import ballot_cast, code_batch_create, verification_grant
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import IdeaStatus, Source
from koproduktion.ideas.services import idea_create, idea_set_status
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.implementation.services import task_delete
from koproduktion.implementation.tests.factories import TaskFactory, staff_of
from koproduktion.moderation.services import contribution_hide, user_block, user_unblock
from koproduktion.projects.tests.factories import ProjectFactory


@pytest.mark.django_db
def test_a_status_change_is_logged_with_who_what_before_after_and_reason():
    idea = IdeaFactory()
    staff = person_with_role(idea.municipality, Role.STAFF, public_name="Frau Amt")
    idea_set_status(
        actor=staff, idea=idea, status=IdeaStatus.REJECTED, reason="Nicht finanzierbar."
    )
    entry = AuditEntry.objects.get(action="ideas.idea_set_status")
    assert entry.municipality_id == idea.municipality_id
    assert (entry.actor, entry.actor_name, entry.actor_roles) == (staff, "Frau Amt", ["staff"])
    assert (entry.target_type, entry.target_id, entry.target_repr) == (
        "ideas.idea",
        idea.pk,
        idea.title,
    )
    assert entry.before == {"status": "new"}
    assert entry.after == {"status": "rejected"}
    assert entry.reason == "Nicht finanzierbar."


@pytest.mark.django_db
def test_a_refused_action_leaves_no_entry():
    idea = IdeaFactory()
    resident = person_with_role(idea.municipality, Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        idea_set_status(actor=resident, idea=idea, status=IdeaStatus.ACCEPTED)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_residents_own_idea_is_not_logged_but_one_recorded_on_behalf_is():
    project = ProjectFactory()
    resident = person_with_role(project.municipality, Role.RESIDENT)
    staff = person_with_role(project.municipality, Role.STAFF)
    idea_create(actor=resident, project=project, title="Mehr Bänke", text="Am Marktplatz.")
    assert not AuditEntry.objects.exists()
    idea = idea_create(
        actor=staff,
        project=project,
        title="Ein Brunnen",
        text="Auf dem Zettel vom Stadtteilfest.",
        source=Source.WORKSHOP,
        contributor_name="Herr Meier",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_id) == ("ideas.idea_create", idea.pk)
    assert entry.before == {}
    assert entry.after["title"] == "Ein Brunnen"
    assert entry.after["source"] == Source.WORKSHOP


@pytest.mark.django_db
def test_an_official_answer_is_logged_and_a_residents_comment_is_not():
    idea = IdeaFactory()
    staff = person_with_role(idea.municipality, Role.STAFF)
    resident = person_with_role(idea.municipality, Role.RESIDENT)
    comment_create(actor=resident, idea=idea, text="Gute Idee!")
    assert not AuditEntry.objects.exists()
    comment_create(actor=staff, idea=idea, text="Wir prüfen das bis Mai.", official=True)
    entry = AuditEntry.objects.get()
    assert entry.action == "dialogue.comment_create"
    assert entry.after["is_official"] is True


@pytest.mark.django_db
def test_staff_verification_logs_that_a_birth_date_was_set_never_the_date():
    municipality = MunicipalityFactory()
    staff = person_with_role(municipality, Role.STAFF)
    person = person_with_role(municipality, Role.RESIDENT, public_name="Anna")
    verification_grant(
        actor=staff,
        user=person,
        municipality=municipality,
        birth_date=datetime.date(1961, 4, 17),
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "decisions.verification_grant"
    assert entry.after["birth_date"] == REDACTED
    assert entry.after["user"] == "Anna"
    assert "1961" not in str(entry.before) + str(entry.after) + entry.target_repr


@pytest.mark.django_db
def test_code_batches_are_logged_without_the_codes():
    municipality = MunicipalityFactory()
    staff = person_with_role(municipality, Role.STAFF)
    _batch, codes = code_batch_create(
        actor=staff, municipality=municipality, count=3, note="Brief Nordviertel"
    )
    entry = AuditEntry.objects.get()
    assert entry.after == {"note": "Brief Nordviertel", "codes": 3}
    text = str(entry.before) + str(entry.after) + entry.target_repr
    assert not any(code in text for code in codes)


@pytest.mark.django_db
def test_a_ballot_never_reaches_the_log():
    poll = PollFactory()
    option = PollOptionFactory(poll=poll)
    voter = person_with_role(poll.municipality, Role.RESIDENT)
    ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_admin_edit_records_only_the_fields_that_changed():
    department = DepartmentFactory(phone="0711 1")
    admin = UserFactory(is_superuser=True, public_name="Admin A")
    department.phone = "0711 2"
    tenant_record_save(actor=admin, record=department)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type) == ("core.tenant_record_save", "core.department")
    assert entry.actor_roles == ["platform_admin"]
    assert entry.before == {"phone": "0711 1"}
    assert entry.after == {"phone": "0711 2"}
    department.name = "Tiefbauamt"
    tenant_record_save(actor=admin, record=department)
    assert AuditEntry.objects.first().after == {"name": "Tiefbauamt"}


@pytest.mark.django_db
def test_granting_and_revoking_a_role_is_logged():
    municipality = MunicipalityFactory()
    admin = person_with_role(municipality, Role.ADMIN)
    person = UserFactory(public_name="Neue Kollegin")
    membership = role_grant(actor=admin, municipality=municipality, user=person, role=Role.STAFF)
    membership_revoke(actor=admin, membership=membership, reason="Wechsel ins Bauamt.")
    removed, granted = AuditEntry.objects.all()
    assert removed.target_id == granted.target_id is not None
    assert granted.action == "core.role_grant"
    assert granted.after == {"user": "Neue Kollegin", "role": "staff"}
    assert removed.action == "core.membership_revoke"
    assert removed.before == {"user": "Neue Kollegin", "role": "staff"}
    assert removed.after == {}
    assert removed.reason == "Wechsel ins Bauamt."


@pytest.mark.django_db
def test_hiding_and_blocking_are_logged_with_their_reasons():
    comment = CommentFactory()
    moderator = person_with_role(comment.municipality, Role.MODERATOR)
    contribution_hide(moderator=moderator, comment=comment, reason="Beleidigend.")
    user_block(
        moderator=moderator,
        municipality=comment.municipality,
        user=comment.author,
        reason="Wiederholt beleidigend.",
    )
    user_unblock(
        moderator=moderator,
        municipality=comment.municipality,
        user=comment.author,
        reason="Entschuldigung angenommen.",
    )
    unblock, block, hide = AuditEntry.objects.all()
    assert hide.target_type == "dialogue.comment"
    assert hide.after["hidden_reason"] == "Beleidigend."
    assert hide.reason == "Beleidigend."
    assert block.target_type == "core.block"
    assert block.actor_roles == ["moderator"]
    assert unblock.target_id == block.target_id
    assert unblock.before == {"lifted_at": None}
    assert unblock.after["lifted_at"]


@pytest.mark.django_db
def test_a_deleted_task_keeps_what_it_was_in_the_log():
    task = TaskFactory(title="Laub rechen")
    task_id = task.pk
    staff = staff_of(task.project)
    task_delete(actor=staff, task=task, reason="Regen.")
    entry = AuditEntry.objects.get()
    assert (entry.target_id, entry.target_repr) == (task_id, "Laub rechen")
    assert entry.before["title"] == "Laub rechen"
    assert entry.after == {}
    assert entry.reason == "Regen."


@pytest.mark.django_db
def test_entries_cannot_be_changed_in_the_database():
    department = DepartmentFactory()
    admin = UserFactory(is_superuser=True)
    department.name = "Neu"
    tenant_record_save(actor=admin, record=department)
    entry = AuditEntry.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="nachträglich")
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    assert AuditEntry.objects.get().reason == ""


@pytest.mark.django_db
def test_a_deleted_account_leaves_its_acts_in_the_log_under_the_name_it_had():
    department = DepartmentFactory()
    admin = UserFactory(is_superuser=True, public_name="Früher Admin")
    department.name = "Neu"
    tenant_record_save(actor=admin, record=department)
    admin.delete()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_name) == (None, "Früher Admin")


@pytest.mark.django_db
def test_a_platform_admin_is_named_as_such():
    department = DepartmentFactory()
    root = UserFactory(is_superuser=True, is_staff=True)
    department.name = "Neu"
    tenant_record_save(actor=root, record=department)
    assert AuditEntry.objects.get().actor_roles == ["platform_admin"]


@pytest.mark.django_db
def test_entries_are_written_at_the_time_of_the_act():
    idea = IdeaFactory()
    staff = person_with_role(idea.municipality, Role.STAFF)
    before = timezone.now()
    idea_set_status(actor=staff, idea=idea, status=IdeaStatus.UNDER_REVIEW)
    assert before <= AuditEntry.objects.get().created_at <= timezone.now()


@pytest.mark.django_db
def test_the_log_refuses_a_ballot_even_where_a_service_names_one():
    poll = PollFactory()
    ballot = Ballot.objects.create(municipality=poll.municipality, poll=poll)
    staff = person_with_role(poll.municipality, Role.STAFF)

    @transaction.atomic
    @audited("Stimmzettel angesehen", target="ballot", fields=[])
    def ballot_touch(*, actor, ballot):
        return ballot

    try:
        with pytest.raises(ValueError, match="secret"):
            ballot_touch(actor=staff, ballot=ballot)
    finally:
        del REGISTRY[action_name(ballot_touch.__wrapped__)]
    assert not AuditEntry.objects.exists()

"""The administration's log across the apps: which services write to it, and what they record."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from koproduktion.core.audit import REDACTED, REGISTRY, action_name, audited
from koproduktion.core.models import AuditEntry, Membership
from koproduktion.core.roles import Role
from koproduktion.core.services import tenant_record_delete, tenant_record_save
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
from koproduktion.implementation.tests.factories import TaskFactory
from koproduktion.moderation.services import contribution_hide, user_block, user_unblock
from koproduktion.projects.tests.factories import ProjectFactory

# Services nobody runs for the administration, each with the reason it stays out of the log.
NOT_AUDITED = {
    # accounts: people's own accounts
    "accounts.normalise_email": "a helper, writes nothing",
    "accounts.user_register": "a person signs up",
    "accounts.confirmation_send": "mails a person their own confirmation link",
    "accounts.user_confirm_email": "a person confirms their own address",
    "accounts.api_token_create": "a person's own API token",
    "accounts.api_token_revoke": "a person's own API token",
    "accounts.api_token_authenticate": "reads a token, writes nothing",
    "accounts.privacy_notice_accept": "a person accepts the privacy notice",
    "accounts.confirmation_resend": "mails a person their own confirmation link again",
    "accounts.mail_request_check": "counts a request that sends mail, writes no record",
    "accounts.password_reset_completed": "a person sets a new password by the mailed link",
    "accounts.secret_hash": "a helper, writes nothing",
    "accounts.privacy_notice_outdated": "reads, writes nothing",
    "accounts.user_erase": "a person deletes their own account; a platform admin's deletion "
    "belongs to no town and stands in Django's admin log",
    # the steps of deleting an account (accounts.user_erase) and of the retention command, which
    # erase a person's data: logging them would keep what they erase
    "accounts.api_tokens_delete": "a step of deleting an account",
    "core.memberships_remove": "a step of deleting an account",
    "decisions.verifications_forget": "a step of deleting an account",
    "ideas.contributor_names_clear": "the retention command",
    "implementation.commitment_contacts_clear": "a step of deleting an account, and retention",
    "implementation.commitments_release": "a step of deleting an account",
    "notifications.notifications_forget": "a step of deleting an account",
    "opinions.votes_withdraw_all": "a step of deleting an account",
    "sponsorships.sponsorships_end_for_deleted_account": "a step of deleting an account",
    # core
    "core.municipality_content_changed": "derived state (cache version) of other services",
    "core.membership_grant": "the resident role at sign-up and the demo data; admins grant "
    "roles in the admin, through tenant_record_save",
    # projects: staff edit projects in the admin (tenant_record_save); these fill the demo
    # town and the Polis import, where no person acts
    "projects.project_create": "demo data and the Polis import; staff use the admin",
    "projects.project_update": "not called; staff use the admin",
    "projects.phase_schedule": "demo data; staff use the admin",
    "projects.document_add": "demo data; staff use the admin",
    "projects.project_content_changed": "derived state (cache version) of other services",
    "projects.projects_content_changed": "derived state (cache version) of other services",
    # ideas: residents' own contributions
    "ideas.idea_url": "a helper, writes nothing",
    "ideas.idea_update": "an author edits their idea",
    "ideas.idea_withdraw": "an author withdraws their idea",
    "ideas.idea_support": "a resident supports an idea",
    "ideas.idea_unsupport": "a resident takes their support back",
    # moderation
    "moderation.report_create": "a resident reports a contribution",
    # notifications: a person's own settings, and the notices other services send
    "notifications.follow": "a person follows a project or idea",
    "notifications.unfollow": "a person stops following",
    "notifications.followers": "reads, writes nothing",
    "notifications.notify": "sent by other services, which are logged themselves",
    "notifications.notification_settings_set": "a person's own settings",
    "notifications.notifications_mark_read": "a person's own inbox",
    # opinions
    "opinions.participation_refusal": "reads, writes nothing",
    "opinions.opinion_map_ensure": "created on first use by other services",
    "opinions.statement_propose": "a resident proposes a statement",
    "opinions.participant_for_user": "a resident's first vote creates their participant row",
    "opinions.vote_cast": "a resident's opinion: never logged",
    "opinions.opinion_map_request_update": "derived state: queues the computation",
    # decisions
    "decisions.ballot_cast": "a secret ballot: never logged, neither what nor who",
    "decisions.ballot_pool_flush": "counts the ballots at a poll's close, when the clock says so",
    "decisions.code_redeem": "a resident verifies themselves with a code by post",
    "decisions.euros": "a helper, writes nothing",
    "decisions.decision_url": "a helper, writes nothing",
    # implementation
    "implementation.task_commit": "a resident takes on a task",
    "implementation.commitment_cancel": "a resident cancels their commitment",
    "implementation.commitment_report_done": "a resident reports their work done",
    "implementation.calendar_token_create": "a person's own calendar feed",
    "implementation.calendar_token_revoke": "a person's own calendar feed",
    "implementation.calendar_token_user": "reads, writes nothing",
    "implementation.milestone_leave_group": "a resident leaves a milestone's group",
    "implementation.overview_url": "a helper, writes nothing",
    "implementation.task_url": "a helper, writes nothing",
    "implementation.check_point": "a helper, writes nothing",
    # routing: derived state of the services that create and answer contributions
    "routing.assignment_route_idea": "a step of ideas.idea_create (logged when recorded on "
    "behalf): the rules route the idea, no person decides",
    "routing.assignment_route_comment": "a step of dialogue.comment_create (an official answer "
    "is logged there): routes a question or notes the answer",
    "routing.assignments_refresh": "a step of withdrawing (the author's own act) and of "
    "moderation (logged there): whether an answer is still owed",
    # sponsorships
    "sponsorships.object_url": "a helper, writes nothing",
    "sponsorships.sponsorship_apply": "a resident applies",
    "sponsorships.sponsorship_withdraw": "a resident withdraws their application",
    "sponsorships.sponsorship_hand_back": "a sponsor ends their own sponsorship",
}


def _service_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("koproduktion."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        modules.append(module)
        if hasattr(module, "__path__"):  # a package of service modules
            modules += [
                importlib.import_module(f"{module.__name__}.{info.name}")
                for info in pkgutil.iter_modules(module.__path__)
            ]
    return modules


def _defined_services() -> set[str]:
    names = set()
    for module in _service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                names.add(f"{module.__name__.split('.')[1]}.{name}")
    return names


def test_every_service_the_administration_runs_writes_to_the_log():
    defined = _defined_services()
    missing = defined - set(REGISTRY) - set(NOT_AUDITED)
    assert not missing, (
        f"services neither logged nor exempt: {sorted(missing)} — add @audited(...) below "
        "@transaction.atomic, or list them in NOT_AUDITED with the reason"
    )
    assert not set(REGISTRY) & set(NOT_AUDITED), "a logged service is also listed as exempt"
    assert not set(NOT_AUDITED) - defined, "NOT_AUDITED names a service that no longer exists"


def test_each_logged_service_writes_its_entry_inside_its_own_transaction():
    """``@audited`` sits below ``@transaction.atomic``: a change that fails takes its entry along.

    Tests run inside a transaction anyway, so the order is checked here, on the functions.
    """
    for action, spec in REGISTRY.items():
        module = importlib.import_module(spec.service.__module__)
        outer = getattr(module, spec.service.__name__)
        cells = [cell.cell_contents for cell in outer.__closure__ or ()]
        assert any(isinstance(cell, transaction.Atomic) for cell in cells), action
        assert getattr(outer.__wrapped__, "audited", None) is spec, action


def test_the_log_names_each_staff_service():
    """What the test above holds, spelled out: the administration's acts, app by app."""
    assert {
        "core.tenant_record_save",
        "core.tenant_record_delete",
        "ideas.idea_create",
        "ideas.idea_set_status",
        "ideas.idea_set_cost",
        "dialogue.comment_create",
        "moderation.contribution_hide",
        "moderation.contribution_restore",
        "moderation.reports_dismiss",
        "moderation.user_warn",
        "moderation.user_block",
        "moderation.user_unblock",
        "moderation.community_rules_set",
        "opinions.statement_seed",
        "opinions.statement_moderate",
        "decisions.poll_create",
        "decisions.option_add",
        "decisions.decision_record",
        "decisions.decision_update",
        "decisions.verification_grant",
        "decisions.code_batch_create",
        "implementation.milestone_create",
        "implementation.milestone_update",
        "implementation.task_create",
        "implementation.shift_add",
        "implementation.task_publish",
        "implementation.task_delete",
        "implementation.update_post",
        "sponsorships.object_create",
        "sponsorships.object_update",
        "sponsorships.object_retire",
        "sponsorships.sponsorship_approve",
        "sponsorships.sponsorship_reject",
    } <= set(REGISTRY)


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
    admin = person_with_role(department.municipality, Role.ADMIN, public_name="Admin A")
    department.phone = "0711 2"
    tenant_record_save(actor=admin, record=department)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type) == ("core.tenant_record_save", "core.department")
    assert entry.actor_roles == ["admin"]
    assert entry.before == {"phone": "0711 1"}
    assert entry.after == {"phone": "0711 2"}
    department.name = "Tiefbauamt"
    tenant_record_save(actor=admin, record=department)
    assert AuditEntry.objects.first().after == {"name": "Tiefbauamt"}


@pytest.mark.django_db
def test_granting_and_removing_a_role_in_the_admin_is_logged():
    municipality = MunicipalityFactory()
    admin = person_with_role(municipality, Role.ADMIN)
    person = UserFactory(public_name="Neue Kollegin")
    membership = Membership(user=person, municipality=municipality, role=Role.STAFF)
    tenant_record_save(actor=admin, record=membership)
    tenant_record_delete(actor=admin, record=membership)
    removed, granted = AuditEntry.objects.all()
    assert removed.target_id == granted.target_id is not None
    assert granted.after == {"user": "Neue Kollegin", "role": "staff"}
    assert removed.action == "core.tenant_record_delete"
    assert removed.before == {"user": "Neue Kollegin", "role": "staff"}
    assert removed.after == {}


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
    staff = person_with_role(task.municipality, Role.STAFF)
    task_delete(actor=staff, task=task, reason="Regen.")
    entry = AuditEntry.objects.get()
    assert (entry.target_id, entry.target_repr) == (task_id, "Laub rechen")
    assert entry.before["title"] == "Laub rechen"
    assert entry.after == {}
    assert entry.reason == "Regen."


@pytest.mark.django_db
def test_entries_cannot_be_changed_in_the_database():
    department = DepartmentFactory()
    admin = person_with_role(department.municipality, Role.ADMIN)
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
    admin = person_with_role(department.municipality, Role.ADMIN, public_name="Früher Admin")
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

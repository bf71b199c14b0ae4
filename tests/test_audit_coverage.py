"""Which services write to the administration's log: every one the administration runs, each
inside its own transaction; the rest are named with the reason they stay out."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

from django.apps import apps
from django.db import transaction

from koproduktion.core.audit import REGISTRY

# Services nobody runs for the administration, each with the reason it stays out of the log.
NOT_AUDITED = {
    # accounts: people's own accounts
    "accounts.normalise_email": "a helper, writes nothing",
    "accounts.user_register": "a person signs up",
    "accounts.account_save": "a step of signing up (accounts.user_register, "
    "accounts.invitation_register)",
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
    "accounts.user_platform_access_set": "a platform admin's act on an account, which belongs to "
    "no town; it stands in Django's admin log",
    "accounts.platform_access_refusal": "reads, writes nothing",
    "accounts.invitation_url": "a helper, writes nothing",
    "accounts.invitation_refusal": "reads, writes nothing",
    "accounts.invitation_register": "a person signs up through an invitation; its acceptance "
    "is logged (accounts.invitation_accept)",
    "accounts.invitations_forget": "a step of deleting an account",
    "accounts.invitations_expired_delete": "the retention command",
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
    # accessibility
    "accessibility.barrier_report_submit": "anyone reports a barrier to the town; the report is "
    "kept and mailed, not an act of the administration",
    # core
    "core.municipality_content_changed": "derived state (cache version) of other services",
    "core.membership_grant": "the resident role at sign-up, a step of an accepted invitation "
    "(logged there) and the demo data; admins grant roles through core.role_grant",
    "core.roles_grant_by_email": "looks the account up and counts the lookup; each role is "
    "logged by core.role_grant",
    "core.role_choice_check": "a helper, writes nothing",
    "core.roles_held_refusal": "reads, writes nothing",
    # projects: the workspace's services are logged; this one fills the demo town's timelines
    "projects.phase_schedule": "demo data, where no person acts; the workspace sets the "
    "timeline with timeline_set",
    "projects.timeline_errors": "a helper, writes nothing",
    "projects.project_content_changed": "derived state (cache version) of other services",
    "projects.projects_content_changed": "derived state (cache version) of other services",
    # ideas: residents' own contributions
    "ideas.idea_url": "a helper, writes nothing",
    "ideas.idea_update": "an author edits their idea",
    "ideas.idea_withdraw": "an author withdraws their idea",
    "ideas.idea_support": "a resident supports an idea",
    "ideas.idea_unsupport": "a resident takes their support back",
    "ideas.idea_terms_index": "derived state (the word stems) of ideas.idea_create and "
    "ideas.idea_update",
    # moderation
    "moderation.report_create": "a resident reports a contribution",
    # notifications: a person's own settings, and the notices other services send
    "notifications.follow": "a person follows a project or idea",
    "notifications.unfollow": "a person stops following",
    "notifications.followers": "reads, writes nothing",
    "notifications.notify": "sent by other services, which are logged themselves",
    "notifications.follows_carry_over": "a step of ideas.idea_merge, which is logged",
    "notifications.notification_settings_set": "a person's own settings",
    "notifications.notifications_mark_read": "a person's own inbox",
    # opinions
    "opinions.participation_refusal": "reads, writes nothing",
    "opinions.opinion_map_ensure": "created on first use by other services",
    "opinions.statement_propose": "a resident proposes a statement",
    "opinions.participant_for_user": "a resident's first vote creates their participant row",
    "opinions.vote_cast": "a resident's opinion: never logged",
    "opinions.participant_vote_record": "an opinion (of a resident or a person at a workshop "
    "tablet): never logged",
    "opinions.participant_without_account": "a step of workshop.workshop_person_start, logged there",
    "opinions.import_refusal": "reads, writes nothing",
    # decisions
    "decisions.ballot_cast": "a secret ballot: never logged, neither what nor who",
    "decisions.ballot_pool_flush": "counts the ballots at a poll's close, when the clock says so",
    "decisions.code_redeem": "a resident verifies themselves with a code by post",
    "decisions.poll_has_ballots": "reads, writes nothing",
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
    # events
    "events.event_url": "a helper, writes nothing",
    "events.event_register": "a resident registers (or joins the waiting list)",
    "events.registration_cancel": "a resident deregisters; who moves up follows from it",
    "events.registrations_release": "a step of deleting an account",
    "actors.representation_requests_release": "a step of deleting an account",
    # practice: the library's helpers
    "practice.practice_example_url": "a helper, writes nothing",
    "practice.tags_for": "a step of practice_example_create and practice_example_update, "
    "which are logged with the example",
    # evaluation: a resident's own answer to the survey
    "evaluation.evaluation_url": "a helper, writes nothing",
    "evaluation.answer_refusal": "reads, writes nothing",
    "evaluation.survey_answer": "a resident answers the survey (or changes the answer)",
    "evaluation.survey_answers_forget": "a step of deleting an account",
    # support
    "support.support_offer_url": "a helper, writes nothing",
    # initiatives: what residents and their initiators do is theirs, not the administration's
    "initiatives.initiative_url": "a helper, writes nothing",
    "initiatives.initiative_start": "a resident starts an initiative",
    "initiatives.initiative_update": "its initiators change their texts",
    "initiatives.initiative_publish": "its initiators publish their draft",
    "initiatives.initiative_request_partner": "its initiators ask for a partner department",
    "initiatives.initiative_withdraw": "its initiators withdraw it; the history keeps it",
    "initiatives.initiative_support": "a resident supports an initiative",
    "initiatives.initiative_unsupport": "a resident takes their support back",
    "initiatives.initiative_join": "a resident asks to join",
    "initiatives.initiator_accept": "an initiator takes in a co-initiator",
    "initiatives.initiator_decline": "an initiator declines a request to join",
    "initiatives.initiator_leave": "a co-initiator steps back",
    "initiatives.need_add": "the initiators say what they look for",
    "initiatives.need_offer": "a resident or organisation offers help",
    "initiatives.offer_accept": "the initiators accept an offer",
    "initiatives.offer_decline": "the initiators decline an offer",
    "initiatives.offer_withdraw": "who offered takes it back",
    "initiatives.supports_release": "a step of deleting an account",
    "initiatives.offers_release": "a step of deleting an account",
    "initiatives.initiator_contacts_clear": "a step of deleting an account",
    # actors: residents' own requests; the town's answers and profile edits are logged
    "actors.organisation_url": "a helper, writes nothing",
    "actors.queue_url": "a helper, writes nothing",
    "actors.organisation_propose": "a resident proposes an organisation; the town's answer is "
    "logged (actors.representation_request_accept/decline)",
    "actors.representation_request_create": "a resident asks to represent an organisation; the "
    "town's answer is logged",
    "actors.representation_request_withdraw": "a resident takes back their own request",
    # activity: acts follow from the records above, the funnel from the acts
    "activity.activities_record": "derived from a record whose own service is logged or exempt",
    "activity.activities_rebuild": "an operator's command, derived data only",
    "activity.activities_erase": "a step of deleting an account",
    "activity.funnel_compute": "derived figures, computed in the background",
    # core
    "core.town_slug": "a helper, writes nothing",
    # workshop: the tablet at an on-site event
    "workshop.closed_reason": "reads, writes nothing",
    "workshop.is_tablet_participant": "reads, writes nothing",
    "workshop.map_refusal": "reads, writes nothing",
    "workshop.workshop_idea_record": "logged by ideas.idea_create (recorded on behalf)",
    "workshop.workshop_signup": "logged by implementation.commitment_record_on_site",
    "workshop.workshop_vote_cast": "an opinion: never logged (the person's start is)",
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
        "core.role_grant",
        "core.membership_departments_set",
        "core.membership_revoke",
        "core.municipality_two_factor_set",
        "accounts.invitation_create",
        "accounts.invitation_resend",
        "accounts.invitation_withdraw",
        "accounts.invitation_accept",
        "ideas.idea_create",
        "ideas.idea_set_status",
        "ideas.idea_set_cost",
        "ideas.idea_merge",
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
        "decisions.option_update",
        "decisions.option_delete",
        "decisions.poll_update",
        "projects.project_create",
        "projects.project_update",
        "projects.project_publish",
        "projects.project_unpublish",
        "projects.project_advance",
        "projects.timeline_set",
        "projects.document_add",
        "projects.document_remove",
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
        "townadmin.municipality_settings_set",
        *(
            f"townadmin.{kind}_{act}"
            for kind in ("neighbourhood", "department", "topic", "organisation")
            for act in ("create", "update", "delete")
        ),
        "events.event_create",
        "events.event_update",
        "events.event_cancel",
        "events.event_minutes_set",
        "initiatives.initiative_accept",
        "initiatives.initiative_decline",
        "actors.representation_request_accept",
        "actors.representation_request_decline",
        "actors.organisation_profile_update",
        "actors.representation_end",
        "evaluation.question_add",
        "evaluation.question_update",
        "evaluation.question_delete",
        "evaluation.question_move",
        "evaluation.survey_open",
        "evaluation.report_save",
        "evaluation.report_publish",
        "support.support_offer_create",
        "support.support_offer_update",
        "support.support_offer_archive",
        "support.support_link_create",
        "support.support_link_delete",
    } <= set(REGISTRY)

"""Which records feed which act: the list is declared once (sources.py) and checked here."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from koproduktion.activity.models import Kind
from koproduktion.activity.sources import SOURCES

# Every kind of act and the record it is read from.
EXPECTED = {
    Kind.IDEA: "ideas.Idea.author",
    Kind.COMMENT: "dialogue.Comment.author",
    Kind.SUPPORT: "ideas.Support.user",
    Kind.STATEMENT: "opinions.Statement.author",
    Kind.STATEMENT_VOTE: "opinions.Participant.user",
    Kind.POLL_PARTICIPATION: "decisions.Participation.voter",
    Kind.FOLLOW: "notifications.Follow.user",
    Kind.EVENT_REGISTRATION: "events.Registration.user",
    Kind.COMMITMENT: "implementation.Commitment.user",
    Kind.TASK_COMPLETED: "implementation.Commitment.user",
    Kind.SPONSORSHIP_APPLICATION: "sponsorships.Sponsorship.sponsor",
    Kind.SPONSORSHIP: "sponsorships.Sponsorship.sponsor",
    Kind.INITIATIVE_SUPPORT: "initiatives.Supporter.user",
    Kind.CO_INITIATOR: "initiatives.Initiator.user",
    Kind.NEED_OFFER: "initiatives.NeedOffer.user",
    Kind.SURVEY_ANSWER: "evaluation.SurveyAnswer.user",
}

# Fields that point at a person and are not an act of taking part, with the reason.
NOT_ACTS = {
    "admin.LogEntry.user": "the platform admins' Django admin",
    "accounts.ApiToken.user": "a key of one's own account",
    "accounts.TwoFactorDevice.user": "a key of one's own account",
    "accounts.RecoveryCode.user": "a key of one's own account",
    "accounts.Invitation.created_by": "staff inviting staff",
    "accounts.Invitation.accepted_by": "taking up an office, not taking part",
    "core.Organisation.verified_by": "staff work",
    "core.Membership.user": "a role, given by the town",
    "core.Block.user": "a moderation measure",
    "core.Block.created_by": "staff work",
    "core.AuditEntry.actor": "the administration's log",
    "ideas.Idea.recorded_by": "staff typing in a contribution from paper",
    "ideas.IdeaStatusChange.changed_by": "staff work",
    "dialogue.Comment.recorded_by": "staff typing in a contribution from paper",
    "moderation.Report.reporter": "a report to the moderators is not shown as taking part",
    "moderation.ModerationAction.moderator": "staff work",
    "moderation.ModerationAction.target_user": "a moderation measure",
    "notifications.Notification.user": "what the platform sends",
    "notifications.NotificationSettings.user": "one's own settings",
    "decisions.Verification.user": "proof of residence, not an act",
    "decisions.Verification.verified_by": "staff work",
    "decisions.CodeBatch.created_by": "staff work",
    "decisions.VerificationCode.redeemed_by": "proof of residence, not an act",
    "decisions.Decision.recorded_by": "staff work",
    "decisions.DecisionVersion.edited_by": "staff work",
    "opinions.PolisImport.created_by": "staff work",
    "implementation.Milestone.group_members": "named by staff, without a date of joining",
    "implementation.Task.created_by": "staff work",
    "implementation.Update.author": "progress reports, mostly by staff",
    "implementation.CalendarToken.user": "a key of one's own account",
    "sponsorships.Sponsorship.decided_by": "staff work",
    "initiatives.Initiative.created_by": "the starter is an Initiator row, counted there",
    "initiatives.Initiative.contact_person": "staff work",
    "initiatives.StateChange.changed_by": "staff work",
    "actors.RepresentationRequest.user": "asking to speak for an organisation",
    "actors.RepresentationRequest.decided_by": "staff work",
    "activity.Activity.user": "the acts themselves",
    "practice.PracticeExample.created_by": "staff work",
    "support.SupportOffer.created_by": "staff work",
    "support.SupportLink.linked_by": "pointing a project or initiative to help, organising work",
}


def _declared() -> dict[str, str]:
    return {
        source.kind: f"{source.model._meta.label}.{source.user.split('__')[0]}"
        for source in SOURCES
    }


def test_every_kind_of_act_is_read_from_the_record_listed_here():
    assert _declared() == EXPECTED
    assert len(SOURCES) == len(Kind)


def test_a_new_record_of_a_person_is_either_an_act_or_said_not_to_be():
    # A new model pointing at a person (a support offer taken up, a new kind of sign-up) fails
    # here until sources.py reads it as an act or NOT_ACTS says why it is none.
    person = get_user_model()
    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is person
    }
    # The opinion map's votes reach the person through their Participant row.
    declared = set(EXPECTED.values())
    assert fields - declared - set(NOT_ACTS) == set()
    assert set(NOT_ACTS) - fields == set(), "NOT_ACTS names a field that is gone"

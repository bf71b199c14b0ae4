from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import Block
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.ideas.tests.factories import CommentFactory, resident_of
from koproduktion.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from koproduktion.moderation.selectors import report_queue
from koproduktion.moderation.services import (
    contribution_hide,
    contribution_restore,
    report_create,
    reports_dismiss,
    user_block,
    user_unblock,
    user_warn,
)
from koproduktion.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment():
    comment = CommentFactory()
    comment.author = resident_of(comment.project)
    comment.save()
    return comment


@pytest.fixture
def moderator(comment):
    return person_with_role(comment.municipality, Role.MODERATOR)


def test_report_once_and_not_ones_own(comment):
    reporter = resident_of(comment.project)
    report_create(reporter=reporter, comment=comment, reason=ReportReason.INSULT)
    with pytest.raises(ValidationError, match="bereits gemeldet"):
        report_create(reporter=reporter, comment=comment, reason=ReportReason.SPAM)
    with pytest.raises(PermissionDenied, match="nicht die eigenen"):
        report_create(reporter=comment.author, comment=comment, reason=ReportReason.SPAM)
    assert Report.objects.count() == 1


def test_hide_with_public_reason_resolves_reports_logs_and_tells_the_author(comment, moderator):
    for _ in range(2):
        report_create(
            reporter=resident_of(comment.project), comment=comment, reason=ReportReason.INSULT
        )
    (item,) = report_queue(municipality=comment.municipality)
    assert item.reports == 2
    contribution_hide(moderator=moderator, comment=comment, reason="Beleidigt andere Teilnehmende.")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "Beleidigt andere Teilnehmende."
    assert report_queue(municipality=comment.municipality) == []
    action = ModerationAction.objects.get()
    assert (action.kind, action.moderator, action.comment) == (ActionKind.HIDE, moderator, comment)
    assert Notification.objects.filter(user=comment.author, kind=Kind.MODERATION).exists()
    contribution_restore(
        moderator=moderator, comment=comment, reason="Nach Rücksprache in Ordnung."
    )
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert ModerationAction.objects.count() == 2


def test_moderation_needs_a_reason_and_the_right_town(comment, moderator):
    with pytest.raises(ValidationError, match="Begründung"):
        contribution_hide(moderator=moderator, comment=comment, reason="")
    for outsider in (
        person_with_role(MunicipalityFactory(), Role.MODERATOR),
        resident_of(comment.project),
        person_with_role(comment.municipality, Role.STAFF),
    ):
        with pytest.raises(PermissionDenied):
            contribution_hide(moderator=outsider, comment=comment, reason="Weil ich es sage.")
    assert not ModerationAction.objects.exists()


def test_dismissing_reports_keeps_the_contribution(comment, moderator):
    report_create(
        reporter=resident_of(comment.project), comment=comment, reason=ReportReason.OFF_TOPIC
    )
    reports_dismiss(moderator=moderator, comment=comment, reason="Gehört zum Thema.")
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert report_queue(municipality=comment.municipality) == []


def test_warn_block_and_unblock(comment, moderator):
    author, project = comment.author, comment.project
    user_warn(
        moderator=moderator,
        municipality=comment.municipality,
        user=author,
        reason="Bitte sachlich bleiben.",
    )
    assert Notification.objects.filter(user=author, message__contains="Verwarnung").exists()
    user_block(
        moderator=moderator,
        municipality=comment.municipality,
        user=author,
        reason="Wiederholte Beleidigungen.",
    )
    assert not rules.test_rule("projects.can_contribute", author, project)
    with pytest.raises(PermissionDenied, match="selbst"):
        user_block(
            moderator=moderator,
            municipality=comment.municipality,
            user=moderator,
            reason="Test Test",
        )
    user_unblock(
        moderator=moderator,
        municipality=comment.municipality,
        user=author,
        reason="Einsicht gezeigt.",
    )
    assert rules.test_rule("projects.can_contribute", author, project)
    kinds = list(
        ModerationAction.objects.order_by("created_at", "pk").values_list("kind", flat=True)
    )
    assert kinds == [ActionKind.WARN, ActionKind.BLOCK, ActionKind.UNBLOCK]


def test_moderators_act_only_on_people_of_their_town(comment, moderator):
    outsider = person_with_role(MunicipalityFactory(), Role.RESIDENT)
    town = comment.municipality
    for act in (user_warn, user_block):
        with pytest.raises(PermissionDenied, match="nicht in dieser Kommune aktiv"):
            act(moderator=moderator, municipality=town, user=outsider, reason="Ohne Bezug hier.")
    assert not Block.objects.exists()
    assert not Notification.objects.filter(user=outsider).exists()
    user_warn(moderator=moderator, municipality=town, user=comment.author, reason="Bitte sachlich.")


def test_a_blocked_moderator_moderates_nothing_until_the_block_is_lifted(
    comment, moderator, client
):
    """The town's admins block a moderator who hides what they dislike: from then on the
    moderator can neither hide nor restore, nor open the queue, until the block is lifted."""
    from django.urls import reverse  # noqa: PLC0415

    town = comment.municipality
    admin = person_with_role(town, Role.ADMIN)
    user_block(moderator=admin, municipality=town, user=moderator, reason="Missbrauch des Amts.")
    moderator = type(moderator).objects.get(pk=moderator.pk)  # a new request: roles read afresh

    with pytest.raises(PermissionDenied):
        contribution_hide(moderator=moderator, comment=comment, reason="Passt mir nicht.")
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.force_login(moderator)
    assert client.get(reverse("moderation:queue", args=[town.slug])).status_code == 403
    assert not rules.test_rule("opinions.can_moderate", moderator, comment.project)

    user_unblock(moderator=admin, municipality=town, user=moderator, reason="Geklärt.")
    moderator = type(moderator).objects.get(pk=moderator.pk)
    contribution_hide(moderator=moderator, comment=comment, reason="Beleidigt andere.")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert client.get(reverse("moderation:queue", args=[town.slug])).status_code == 200

"""Moderation: reports, hiding and restoring with a public reason, warnings and blocks.

Every action lands in the log (``ModerationAction``) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited, lookup
from koproduktion.core.models import Block, Municipality
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.rules import forget_roles
from koproduktion.core.services import municipality_content_changed
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_url
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.services import project_content_changed
from koproduktion.routing.services import assignments_refresh

from .models import ActionKind, CommunityRules, ModerationAction, Report, ReportReason
from .rules import PersonInTown, discipline_refusal
from .selectors import people_of

NOT_A_MODERATOR = "Moderieren dürfen nur die Moderation und die Admins dieser Kommune."


def _target(idea: Idea | None, comment: Comment | None) -> Idea | Comment:
    if (idea is None) == (comment is None):
        raise ValueError("exactly one of idea and comment")
    return idea if idea is not None else comment  # type: ignore[return-value]


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Bitte geben Sie eine Begründung an (mindestens 5 Zeichen).")}
        )
    return reason


@transaction.atomic
def report_create(
    *,
    reporter: Any,
    idea: Idea | None = None,
    comment: Comment | None = None,
    reason: ReportReason,
    explanation: str = "",
    ip: str | None = None,
) -> Report:
    target = _target(idea, comment)
    require(
        "moderation.can_report",
        reporter,
        target,
        _(
            "Melden können angemeldete Personen mit bestätigter E-Mail-Adresse, aber nicht die eigenen Beiträge."
        ),
    )
    check_rate(action="report", user=reporter, ip=ip or "")
    report = Report(
        municipality_id=target.municipality_id,
        reporter=reporter,
        idea=idea,
        comment=comment,
        reason=reason,
        explanation=explanation.strip(),
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as twice:
        raise ValidationError(
            _("Sie haben diesen Beitrag bereits gemeldet."), code="twice"
        ) from twice
    return report


def _log(
    *, moderator: Any, municipality_id: int, kind: ActionKind, reason: str, **targets: Any
) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator, municipality_id=municipality_id, kind=kind, reason=reason, **targets
    )


def _log_contribution(
    *, moderator: Any, kind: ActionKind, reason: str, idea: Idea | None, comment: Comment | None
) -> ModerationAction:
    """Log an action on an idea or comment, naming its author as the person concerned."""
    target = _target(idea, comment)
    return _log(
        moderator=moderator,
        municipality_id=target.municipality_id,
        kind=kind,
        reason=reason,
        idea=idea,
        comment=comment,
        target_user_id=target.author_id,
    )


def _resolve_reports(*, idea: Idea | None, comment: Comment | None) -> None:
    Report.objects.filter(idea=idea, comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


@transaction.atomic
@audited(
    gettext_lazy("Beitrag ausgeblendet"),
    actor="moderator",
    target=("idea", "comment"),
    fields=["hidden_at", "hidden_reason"],
)
def contribution_hide(
    *, moderator: Any, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> ModerationAction:
    """Hide an idea or comment; its place shows "hidden by moderation" and the reason."""
    target = _target(idea, comment)
    require("moderation.can_moderate", moderator, target, _(NOT_A_MODERATOR))
    reason = _reason(reason)
    if target.is_hidden:
        raise ValidationError(_("Dieser Beitrag ist schon ausgeblendet."))
    target.hidden_at, target.hidden_reason = timezone.now(), reason
    target.save(update_fields=["hidden_at", "hidden_reason"])
    # What no answer is owed any more leaves the departments' inboxes (and comes back).
    assignments_refresh(idea_id=idea.pk if idea is not None else comment.idea_id)  # type: ignore[union-attr]
    project_content_changed(project_id=target.project_id)
    _resolve_reports(idea=idea, comment=comment)
    author_id = target.author_id
    if author_id:
        parent_idea = idea or comment.idea  # type: ignore[union-attr]
        notify(
            user_ids=[author_id],
            municipality_id=target.municipality_id,
            kind=Kind.MODERATION,
            message=lambda: (
                _("Ihr Beitrag wurde von der Moderation ausgeblendet: %(reason)s")
                % {"reason": reason}
            ),
            url=idea_url(parent_idea),
            idea=parent_idea,
            comment=comment,
        )
    return _log_contribution(
        moderator=moderator, kind=ActionKind.HIDE, reason=reason, idea=idea, comment=comment
    )


@transaction.atomic
@audited(
    gettext_lazy("Beitrag wiederhergestellt"),
    actor="moderator",
    target=("idea", "comment"),
    fields=["hidden_at", "hidden_reason"],
)
def contribution_restore(
    *, moderator: Any, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> ModerationAction:
    target = _target(idea, comment)
    require("moderation.can_moderate", moderator, target, _(NOT_A_MODERATOR))
    reason = _reason(reason)
    if not target.is_hidden:
        raise ValidationError(_("Dieser Beitrag ist nicht ausgeblendet."))
    target.hidden_at, target.hidden_reason = None, ""
    target.save(update_fields=["hidden_at", "hidden_reason"])
    # What no answer is owed any more leaves the departments' inboxes (and comes back).
    assignments_refresh(idea_id=idea.pk if idea is not None else comment.idea_id)  # type: ignore[union-attr]
    project_content_changed(project_id=target.project_id)
    return _log_contribution(
        moderator=moderator, kind=ActionKind.RESTORE, reason=reason, idea=idea, comment=comment
    )


@transaction.atomic
@audited(
    gettext_lazy("Meldungen zurückgewiesen"),
    actor="moderator",
    target=("idea", "comment"),
    fields=[],
)
def reports_dismiss(
    *, moderator: Any, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> ModerationAction:
    """The contribution stays: the reports about it are closed, with a reason."""
    target = _target(idea, comment)
    require("moderation.can_moderate", moderator, target, _(NOT_A_MODERATOR))
    reason = _reason(reason)
    _resolve_reports(idea=idea, comment=comment)
    return _log_contribution(
        moderator=moderator, kind=ActionKind.DISMISS, reason=reason, idea=idea, comment=comment
    )


@transaction.atomic
@audited(
    gettext_lazy("Person verwarnt"),
    actor="moderator",
    target="user",
    fields=[],
    municipality="municipality",
)
def user_warn(
    *, moderator: Any, municipality: Municipality, user: Any, reason: str
) -> ModerationAction:
    _require_may_discipline("moderation.can_warn", moderator, municipality, user)
    reason = _reason(reason)
    notify(
        user_ids=[user.pk],
        municipality_id=municipality.pk,
        kind=Kind.MODERATION,
        message=lambda: (
            _("Verwarnung der Moderation in %(town)s: %(reason)s")
            % {"town": municipality.name, "reason": reason}
        ),
        url=_rules_url(municipality),
    )
    return _log(
        moderator=moderator,
        municipality_id=municipality.pk,
        kind=ActionKind.WARN,
        reason=reason,
        target_user=user,
    )


@transaction.atomic
@audited(gettext_lazy("Person gesperrt"), actor="moderator")
def user_block(
    *,
    moderator: Any,
    municipality: Municipality,
    user: Any,
    reason: str,
    ends_at: datetime | None = None,
) -> Block:
    """Block ``user`` from contributing in ``municipality`` until ``ends_at`` (for good if None)."""
    _require_may_discipline("moderation.can_block", moderator, municipality, user)
    reason = _reason(reason)
    if ends_at is not None and ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("Das Ende der Sperre muss in der Zukunft liegen.")})
    block = Block.objects.create(
        municipality=municipality, user=user, reason=reason, ends_at=ends_at, created_by=moderator
    )
    forget_roles(user)
    notify(
        user_ids=[user.pk],
        municipality_id=municipality.pk,
        kind=Kind.MODERATION,
        message=lambda: (
            _("Ihr Konto ist in %(town)s gesperrt: %(reason)s")
            % {"town": municipality.name, "reason": reason}
        ),
        url=_rules_url(municipality),
    )
    _log(
        moderator=moderator,
        municipality_id=municipality.pk,
        kind=ActionKind.BLOCK,
        reason=reason,
        target_user=user,
    )
    return block


@transaction.atomic
@audited(
    gettext_lazy("Sperre aufgehoben"),
    actor="moderator",
    target=lookup(Block, {"user": "user", "municipality": "municipality"}, lifted_at__isnull=True),
    fields=["lifted_at"],
)
def user_unblock(
    *, moderator: Any, municipality: Municipality, user: Any, reason: str
) -> ModerationAction:
    _require_may_discipline("moderation.can_unblock", moderator, municipality, user)
    reason = _reason(reason)
    lifted = Block.objects.filter(
        municipality=municipality, user=user, lifted_at__isnull=True
    ).update(lifted_at=timezone.now())
    if not lifted:
        raise ValidationError(_("Diese Person ist nicht gesperrt."))
    forget_roles(user)
    return _log(
        moderator=moderator,
        municipality_id=municipality.pk,
        kind=ActionKind.UNBLOCK,
        reason=reason,
        target_user=user,
    )


@transaction.atomic
@audited(
    gettext_lazy("Gemeinschaftsregeln geändert"),
    target=lookup(CommunityRules, {"municipality": "municipality"}),
    fields=["summary", "text", "summary_en", "text_en"],
)
def community_rules_set(
    *,
    actor: Any,
    municipality: Municipality,
    text: str,
    summary: str,
    text_en: str = "",
    summary_en: str = "",
) -> CommunityRules:
    require(
        "moderation.can_set_rules",
        actor,
        municipality,
        _("Die Regeln legen die Admins der Kommune fest."),
    )
    rules_, _created = CommunityRules.objects.update_or_create(
        municipality=municipality,
        defaults={
            "text": text.strip(),
            "summary": summary.strip(),
            "text_en": text_en.strip(),
            "summary_en": summary_en.strip(),
        },
    )
    # The rules' note shows under the comment forms of the town's pages, read per town version.
    municipality_content_changed(municipality_id=municipality.pk)
    return rules_


def _require_may_discipline(
    rule: str, moderator: Any, municipality: Municipality, user: Any
) -> None:
    """Warning, blocking and unblocking: a moderator of the town, a person of the town, and the
    rule ``rule`` for that person (``moderation.rules``); refusals name the step."""
    require("moderation.can_moderate", moderator, municipality, _(NOT_A_MODERATOR))
    _require_person_of(municipality, user)
    subject = PersonInTown(municipality=municipality, person=user)
    if not rules.test_rule(rule, moderator, subject):
        raise PermissionDenied(discipline_refusal(moderator, subject))


def _require_person_of(municipality: Municipality, user: Any) -> None:
    if not people_of(municipality).filter(pk=user.pk).exists():
        raise PermissionDenied(
            _("Diese Person ist nicht in dieser Kommune aktiv; hier moderieren Sie sie nicht.")
        )


def _rules_url(municipality: Municipality) -> str:
    from django.urls import reverse  # noqa: PLC0415

    return reverse("moderation:rules", args=[municipality.slug])

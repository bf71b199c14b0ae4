"""Writes of ideas: create, edit, withdraw, support, change status. Each in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited, keyword_differs
from koproduktion.core.models import Membership
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.roles import ADMINISTRATION_ROLES
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import follow, followers, notify
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.services import projects_content_changed
from koproduktion.routing.services import assignment_route_idea, assignments_refresh

from .models import (
    STATUSES_NEEDING_REASON,
    Contribution,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    Source,
    Support,
)
from .versions import Shown, content_changed

# What ``idea_update`` changes (with ``edited_at``).
EDITABLE_FIELDS = ("title", "text", "topic", "neighbourhood", "latitude", "longitude", "address")


def idea_url(idea: Idea) -> str:
    return reverse(
        "ideas:detail", args=[idea.project.municipality.slug, idea.project.slug, idea.pk]
    )


def _check_point(idea: Idea) -> None:
    if idea.latitude is None and idea.longitude is None:
        return
    if idea.latitude is None or idea.longitude is None:
        raise ValidationError(
            {"latitude": _("Bitte geben Sie Breiten- und Längengrad an – oder keinen von beiden.")}
        )
    municipality = idea.project.municipality
    if not municipality.contains(idea.latitude, idea.longitude):
        raise ValidationError(
            {
                "latitude": _("Dieser Ort liegt außerhalb von %(name)s.")
                % {"name": municipality.name}
            }
        )


@transaction.atomic
@audited(gettext_lazy("Idee im Auftrag erfasst"), when=keyword_differs("source", Source.ONLINE))
def idea_create(
    *,
    actor: Any,
    project: Any,
    title: str,
    text: str,
    topic: Any = None,
    neighbourhood: Any = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    source: Source = Source.ONLINE,
    contributor_name: str = "",
    source_event: Any = None,
    ip: str | None = None,
) -> Idea:
    """Post an idea as ``actor``, or record one gathered offline when ``source`` is not online.

    An idea recorded on behalf has no author account; ``contributor_name`` may name the person,
    ``source_event`` the event (of the same project) where it was said.
    """
    on_behalf = source != Source.ONLINE
    if on_behalf:
        require(
            "ideas.can_record_on_behalf",
            actor,
            project,
            _("Nur die Verwaltung kann Beiträge im Auftrag erfassen, und nur in der Dialogphase."),
        )
    else:
        reason = refusal_reason(actor, project, Capability.CONTRIBUTE)
        if reason:
            raise PermissionDenied(reason)
    check_rate(action="idea", user=actor, ip=ip or "")
    idea = Idea(
        municipality_id=project.municipality_id,
        project=project,
        author=None if on_behalf else actor,
        recorded_by=actor if on_behalf else None,
        source=source,
        contributor_name=contributor_name.strip() if on_behalf else "",
        title=title.strip(),
        text=text.strip(),
        topic=topic,
        neighbourhood=neighbourhood,
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        source_event=source_event if on_behalf else None,
    )
    _check_point(idea)
    idea.full_clean()
    idea.save()
    assignment_route_idea(idea=idea)
    content_changed(idea=idea, shown=Shown.PROJECT)
    if not on_behalf:
        follow(user=actor, idea=idea)
    notify(
        user_ids=followers(project=project),
        municipality_id=project.municipality_id,
        kind=Kind.NEW_IDEA,
        message=lambda: (
            _("Neue Idee in „%(project)s“: %(title)s")
            % {"project": project.title, "title": idea.title}
        ),
        url=idea_url(idea),
        idea=idea,
        exclude=[actor.pk],
    )
    return idea


@transaction.atomic
def idea_update(
    *,
    actor: Any,
    idea: Idea,
    title: str,
    text: str,
    topic: Any = None,
    neighbourhood: Any = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
) -> Idea:
    require(
        "ideas.can_edit",
        actor,
        idea,
        _(
            "Ideen lassen sich nur von ihren Verfasser*innen und nur kurz nach dem Einstellen bearbeiten."
        ),
    )
    idea.title, idea.text = title.strip(), text.strip()
    idea.topic, idea.neighbourhood = topic, neighbourhood
    idea.latitude, idea.longitude, idea.address = latitude, longitude, address.strip()
    idea.edited_at = timezone.now()
    _check_point(idea)
    idea.full_clean()
    # Only what was edited: the counters and the version are kept by UPDATEs of their own, which
    # writing back the values read here would undo.
    idea.save(update_fields=[*EDITABLE_FIELDS, "edited_at"])
    content_changed(idea=idea, shown=Shown.IDEA | Shown.PROJECT)
    return idea


@transaction.atomic
def idea_withdraw(*, actor: Any, idea: Idea) -> Idea:
    require(
        "ideas.can_withdraw",
        actor,
        idea,
        _("Nur wer die Idee eingestellt hat, kann sie zurückziehen."),
    )
    idea.withdrawn_at = timezone.now()
    idea.save(update_fields=["withdrawn_at"])
    assignments_refresh(idea_id=idea.pk)
    content_changed(idea=idea, shown=Shown.IDEA | Shown.PROJECT)
    return idea


@transaction.atomic
def idea_support(*, actor: Any, idea: Idea) -> Support:
    """One support per person and idea; the database refuses a second (no rate limit needed)."""
    require(
        "ideas.can_support",
        actor,
        idea,
        refusal_reason(actor, idea.project, Capability.SUPPORT)
        or _("Diese Idee können Sie nicht unterstützen."),
    )
    try:
        with transaction.atomic():
            support = Support.objects.create(
                idea=idea, user=actor, municipality_id=idea.municipality_id
            )
    except IntegrityError as twice:
        raise ValidationError(_("Sie unterstützen diese Idee bereits."), code="twice") from twice
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    idea.support_count = Idea.objects.values_list("support_count", flat=True).get(pk=idea.pk)
    on_the_agenda = _check_quorum(idea)
    # The count shows on the idea's page and in the lists; the agenda's badge in the lists too.
    content_changed(
        idea=idea, shown=Shown.IDEA | Shown.COUNTS | (Shown.PROJECT if on_the_agenda else Shown(0))
    )
    return support


def _check_quorum(idea: Idea) -> bool:
    """Put the idea on the agenda once it reaches the municipality's support quorum, once.

    The conditional update makes "once" hold also when the last supports arrive in parallel.
    True if this call put it there.
    """
    quorum = idea.project.municipality.support_quorum
    if not quorum or idea.support_count < quorum:
        return False
    now = timezone.now()
    if not Idea.objects.filter(pk=idea.pk, quorum_reached_at__isnull=True).update(
        quorum_reached_at=now
    ):
        return False
    idea.quorum_reached_at = now
    staff = Membership.objects.filter(
        municipality_id=idea.municipality_id, role__in=ADMINISTRATION_ROLES
    )
    if idea.project.department_id:
        # The responsible department first; the whole administration where none is named.
        responsible = staff.filter(departments=idea.project.department_id)
        staff = responsible if responsible.exists() else staff
    notify(
        user_ids=set(staff.values_list("user_id", flat=True)),
        municipality_id=idea.municipality_id,
        kind=Kind.QUORUM,
        message=lambda: (
            _("„%(title)s“ hat %(count)d Unterstützungen erreicht und kommt auf die Tagesordnung.")
            % {"title": idea.title, "count": idea.support_count}
        ),
        url=idea_url(idea),
        idea=idea,
    )
    return True


@transaction.atomic
def idea_unsupport(*, actor: Any, idea: Idea) -> None:
    deleted, _counts = Support.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        idea.support_count -= 1
        content_changed(idea=idea, shown=Shown.IDEA | Shown.COUNTS)


@transaction.atomic
@audited(gettext_lazy("Status einer Idee geändert"), target="idea", fields=["status"])
def idea_set_status(
    *, actor: Any, idea: Idea, status: IdeaStatus, reason: str = ""
) -> IdeaStatusChange:
    """Change the public status; authors, supporters and followers hear of it."""
    require("ideas.can_change_status", actor, idea, _("Den Status ändert die Verwaltung."))
    return _status_change(actor=actor, idea=idea, status=status, reason=reason)


@transaction.atomic
@audited(
    gettext_lazy("Status einer Idee nach einem Beschluss geändert"),
    target="idea",
    fields=["status"],
)
def idea_status_follow_decision(
    *,
    actor: Any,
    idea: Idea,
    status: IdeaStatus,
    reason: str,
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
) -> IdeaStatusChange:
    """The status a recorded decision gives a linked idea; its people hear of it.

    Only ``decisions.services.records`` calls this, after asking whether ``actor`` may record
    that decision: the council's clerk may (where the town allows it) without being staff.
    ``reason_code`` and ``reason_params`` carry what the platform adds to the reason (the
    decision's body, date and outcome), worded when shown (``ideas.status_reasons``).
    """
    return _status_change(
        actor=actor,
        idea=idea,
        status=status,
        reason=reason,
        reason_code=reason_code,
        reason_params=reason_params,
    )


def _status_change(
    *,
    actor: Any,
    idea: Idea,
    status: IdeaStatus,
    reason: str,
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
) -> IdeaStatusChange:
    status = IdeaStatus(status)
    reason = reason.strip()
    if status == idea.status:
        raise ValidationError({"status": _("Die Idee hat diesen Status schon.")})
    if status in STATUSES_NEEDING_REASON and not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie diesen Status öffentlich.")})
    change = IdeaStatusChange.objects.create(
        idea=idea,
        municipality_id=idea.municipality_id,
        old_status=idea.status,
        new_status=status,
        reason=reason,
        reason_code=reason_code,
        reason_params=reason_params or {},
        changed_by=actor,
    )
    idea.status = status
    idea.save(update_fields=["status"])
    content_changed(idea=idea, shown=Shown.IDEA | Shown.PROJECT)
    audience = followers(idea=idea) | set(
        Support.objects.filter(idea=idea).values_list("user_id", flat=True)
    )
    if idea.author_id:
        audience.add(idea.author_id)
    notify(
        user_ids=audience,
        municipality_id=idea.municipality_id,
        kind=Kind.STATUS_CHANGE,
        message=lambda: (
            _("„%(title)s“ ist jetzt: %(status)s") % {"title": idea.title, "status": status.label}
        ),
        url=idea_url(idea),
        idea=idea,
        exclude=[actor.pk],
    )
    return change


@transaction.atomic
@audited(gettext_lazy("Kosten einer Idee geschätzt"), target="idea", fields=["cost_estimate_cents"])
def idea_set_cost(*, actor: Any, idea: Idea, cost_cents: int | None) -> Idea:
    """Staff estimate what carrying out the idea would cost (for participatory budgets)."""
    require("ideas.can_change_status", actor, idea, _("Kosten schätzt die Verwaltung."))
    if cost_cents is not None and cost_cents < 0:
        raise ValidationError({"cost_cents": _("Kosten können nicht negativ sein.")})
    idea.cost_estimate_cents = cost_cents
    idea.save(update_fields=["cost_estimate_cents"])
    # Only the idea's page shows it (a budget's option copies it when the option is made).
    content_changed(idea=idea, shown=Shown.IDEA)
    return idea


@transaction.atomic
def contributor_names_clear(*, contributions: QuerySet[Contribution]) -> int:
    """Drop the names given with ``contributions`` recorded offline (retention period over).

    For ideas and comments alike; they stay, shown as "anonymous". Running it again changes
    nothing.
    """
    named = contributions.exclude(contributor_name="")
    projects_content_changed(project_ids=list(named.values_list("project_id", flat=True)))
    return named.update(contributor_name="")

"""Writes of ideas: create, edit, withdraw, support, change status, merge. Each in one
transaction."""

from __future__ import annotations

from collections.abc import Iterable
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
from koproduktion.notifications.services import follow, followers, follows_carry_over, notify
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.services import projects_content_changed
from koproduktion.routing.services import assignment_route_idea, assignments_refresh
from koproduktion.search.written import note_written

from .models import (
    STATUSES_NEEDING_REASON,
    Contribution,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    IdeaTerm,
    Source,
    Support,
)
from .similarity import idea_terms
from .status_reasons import MERGED
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
    idea_terms_index(ideas=[idea])
    assignment_route_idea(idea=idea)
    content_changed(idea=idea, shown=Shown.PROJECT)
    note_written(actor)
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
    idea_terms_index(ideas=[idea])
    content_changed(idea=idea, shown=Shown.IDEA | Shown.PROJECT)
    note_written(actor)
    return idea


@transaction.atomic
def idea_terms_index(*, ideas: Iterable[Idea]) -> None:
    """Write the word stems of ``ideas`` anew (``ideas.similarity``), after their title or text
    was written."""
    ideas = list(ideas)
    IdeaTerm.objects.filter(idea__in=ideas).delete()
    IdeaTerm.objects.bulk_create(
        IdeaTerm(
            idea=idea,
            project_id=idea.project_id,
            municipality_id=idea.municipality_id,
            stem=stem,
            count=min(count, 32767),
        )
        for idea in ideas
        for stem, count in idea_terms(idea.title, idea.text).items()
    )


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
    if idea.merged_into_id:
        raise ValidationError(
            {"status": _("Die Idee ist mit einer anderen zusammengeführt; ihr Status bleibt so.")}
        )
    if status == IdeaStatus.MERGED:
        raise ValidationError(
            {"status": _("Zusammengeführt wird eine Idee mit der Idee, die sie wiederholt.")}
        )
    if status == idea.status:
        raise ValidationError({"status": _("Die Idee hat diesen Status schon.")})
    if status in STATUSES_NEEDING_REASON and not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie diesen Status öffentlich.")})
    change = _record_status(
        actor=actor,
        idea=idea,
        status=status,
        reason=reason,
        reason_code=reason_code,
        reason_params=reason_params,
    )
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


def _record_status(
    *,
    actor: Any,
    idea: Idea,
    status: IdeaStatus,
    reason: str,
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
    also: Iterable[str] = (),
) -> IdeaStatusChange:
    """Give ``idea`` its new status with an entry in its history (``also``: more fields of the
    idea, set by the caller, to save with it)."""
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
    idea.save(update_fields=["status", *also])
    return change


def _merge_refusal(duplicate: Idea, original: Idea) -> str | None:
    """Why ``duplicate`` cannot be merged into ``original``, or None."""
    if duplicate.pk == original.pk:
        return _("Eine Idee lässt sich nicht mit sich selbst zusammenführen.")
    if duplicate.project_id != original.project_id:
        return _("Zusammenführen lassen sich nur Ideen desselben Vorhabens.")
    if duplicate.merged_into_id:
        return _("Diese Idee ist schon mit einer anderen zusammengeführt.")
    if original.merged_into_id:
        return _(
            "„%(title)s“ ist selbst schon mit einer anderen Idee zusammengeführt (Nr. %(id)d): "
            "bitte wählen Sie diese."
        ) % {"title": original.title, "id": original.merged_into_id}
    if original.withdrawn_at or original.hidden_at:
        return _("„%(title)s“ ist zurückgezogen oder ausgeblendet und kann kein Original sein.") % {
            "title": original.title
        }
    return None


@transaction.atomic
@audited(
    gettext_lazy("Doppelte Idee zusammengeführt"),
    target="duplicate",
    fields=["status", "merged_into"],
)
def idea_merge(
    *, actor: Any, duplicate: Idea, original: Idea, reason: str = ""
) -> IdeaStatusChange:
    """Merge ``duplicate`` into ``original``, an idea of the same project it repeats.

    The duplicate's supports go to the original (someone who supported both counts once there,
    and the original's author's own support is dropped); its followers follow the original.
    The duplicate keeps its text and its comments, readable, with the status "merged" and a
    link to the original; it takes no more supports or comments. Both authors, its supporters
    and its followers are told.
    """
    require(
        "ideas.can_merge",
        actor,
        duplicate,
        _("Ideen führt zusammen, wer das Vorhaben in der Verwaltung betreut."),
    )
    # Both rows locked, in the order of their keys, and read again: the checks below hold
    # until the end of the transaction.
    locked = Idea.objects.select_for_update().filter(pk__in=[duplicate.pk, original.pk])
    current = {idea.pk: idea for idea in locked.order_by("pk")}
    for idea in (duplicate, original):
        fresh = current[idea.pk]
        idea.status, idea.merged_into_id = fresh.status, fresh.merged_into_id
        idea.withdrawn_at, idea.hidden_at = fresh.withdrawn_at, fresh.hidden_at
    refusal = _merge_refusal(duplicate, original)
    if refusal:
        raise ValidationError({"original": refusal})
    kept_out = set(Support.objects.filter(idea=original).values_list("user_id", flat=True))
    if original.author_id:
        kept_out.add(original.author_id)
    supporters = set(Support.objects.filter(idea=duplicate).values_list("user_id", flat=True))
    Support.objects.filter(idea=duplicate, user_id__in=kept_out).delete()
    moved = Support.objects.filter(idea=duplicate).update(idea=original)
    Idea.objects.filter(pk=duplicate.pk).update(support_count=0)
    Idea.objects.filter(pk=original.pk).update(support_count=F("support_count") + moved)
    duplicate.support_count = 0
    original.support_count = Idea.objects.values_list("support_count", flat=True).get(
        pk=original.pk
    )
    audience = followers(idea=duplicate)
    follows_carry_over(from_idea=duplicate, to_idea=original)
    duplicate.merged_into = original
    change = _record_status(
        actor=actor,
        idea=duplicate,
        status=IdeaStatus.MERGED,
        reason=reason.strip(),
        reason_code=MERGED,
        reason_params={"id": original.pk, "title": original.title},
        also=["merged_into"],
    )
    assignments_refresh(idea_id=duplicate.pk)
    _check_quorum(original)
    content_changed(idea=duplicate, shown=Shown.IDEA | Shown.PROJECT)
    content_changed(idea=original, shown=Shown.IDEA | Shown.COUNTS)
    _tell_of_merge(actor, duplicate, original, audience | supporters)
    return change


def _tell_of_merge(actor: Any, duplicate: Idea, original: Idea, people: set[int]) -> None:
    """Each in their language: both authors, and who supported or followed the duplicate."""
    titles = {"duplicate": duplicate.title, "original": original.title}
    url = idea_url(original)
    authors = {duplicate.author_id, original.author_id}
    messages = [
        (
            {duplicate.author_id},
            lambda: (
                _(
                    "Ihre Idee „%(duplicate)s“ ist mit der gleichartigen Idee „%(original)s“ "
                    "zusammengeführt; ihre Unterstützungen zählen jetzt dort."
                )
                % titles
            ),
        ),
        (
            {original.author_id} - {duplicate.author_id},
            lambda: (
                _(
                    "Die gleichartige Idee „%(duplicate)s“ ist mit Ihrer Idee „%(original)s“ "
                    "zusammengeführt; ihre Unterstützungen zählen jetzt für Ihre Idee."
                )
                % titles
            ),
        ),
        (
            people - authors,
            lambda: (
                _(
                    "„%(duplicate)s“ ist mit der gleichartigen Idee „%(original)s“ zusammengeführt; "
                    "Ihre Unterstützung und Ihr Abonnement gelten jetzt dort."
                )
                % titles
            ),
        ),
    ]
    for user_ids, message in messages:
        notify(
            user_ids={user_id for user_id in user_ids if user_id},
            municipality_id=original.municipality_id,
            kind=Kind.STATUS_CHANGE,
            message=message,
            url=url,
            idea=original,
            exclude=[actor.pk],
        )


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

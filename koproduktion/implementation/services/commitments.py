"""Commitments: taking on a task or a shift, cancelling, reporting back; the private iCal token."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.events.models import Event
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.services import project_content_changed

from ..models import CalendarToken, Commitment, Shift, Task


def _too_late(task: Task, shift: Shift | None) -> bool:
    """A shift that has begun, or a day that is over, takes no more sign-ups or cancellations."""
    if shift is not None:
        return shift.starts_at <= timezone.now()
    return task.date is not None and task.date < timezone.localdate()


def _has_started(task: Task, shift: Shift | None) -> bool:
    if shift is not None:
        return shift.starts_at <= timezone.now()
    return task.date is None or task.date <= timezone.localdate()


@transaction.atomic
def task_commit(
    *,
    actor: Any,
    task: Task,
    shift: Shift | None = None,
    share_contact: bool = False,
    phone: str = "",
    ip: str = "",
) -> Commitment:
    """Sign ``actor`` up for ``task`` (or one of its shifts), within capacity.

    Sign-ups are rate-limited per account and per client address (``ip``), so that signing up
    and cancelling in a loop cannot flood the organisers' lists.

    The shift's (or the task's) row is locked with SELECT … FOR UPDATE before the free places are
    counted, so concurrent sign-ups queue up on it and never overbook; the check constraint
    ``taken <= capacity`` would refuse an overbooking even so.
    """
    if not task.is_published:
        raise PermissionDenied(_("Diese Aufgabe ist noch nicht veröffentlicht."))
    reason = refusal_reason(actor, task.project, Capability.TAKE_ON_TASK)
    if reason:
        raise PermissionDenied(reason)
    check_rate(action="signup", user=actor, ip=ip)
    return _take_place(
        task,
        shift,
        already=Commitment.objects.filter(user=actor, task=task, shift=shift),
        twice=_("Sie haben hier schon zugesagt."),
        user=actor,
        share_contact=share_contact,
        phone=phone.strip()[:50],
    )


def _take_place(
    task: Task, shift: Shift | None, *, already: QuerySet[Commitment], twice: str, **person: Any
) -> Commitment:
    """Store a commitment of ``person`` (the commitment's fields) within capacity.

    The shift's (or the task's) row is locked with SELECT … FOR UPDATE before the free places are
    counted, so concurrent sign-ups queue up on it and never overbook; the check constraint
    ``taken <= capacity`` would refuse an overbooking even so. ``already``: the person's
    commitments here, refused with ``twice`` if one is live.
    """
    has_shifts = Shift.objects.filter(task=task).exists()
    if has_shifts and shift is None:
        raise ValidationError({"shift": _("Bitte wählen Sie eine Schicht.")})
    if shift is not None and shift.task_id != task.pk:
        raise ValidationError({"shift": _("Diese Schicht gehört zu einer anderen Aufgabe.")})
    if shift is not None:
        locked: Shift | Task = Shift.objects.select_for_update().get(pk=shift.pk)
    else:
        locked = Task.objects.select_for_update().get(pk=task.pk)
    if _too_late(task, shift):
        raise ValidationError(
            _("Diese Schicht hat schon begonnen – eine Zusage ist nicht mehr möglich.")
            if shift
            else _("Dieser Termin ist vorbei – eine Zusage ist nicht mehr möglich.")
        )
    if already.filter(cancelled_at__isnull=True).exists():
        raise ValidationError(twice, code="twice")
    if locked.taken >= locked.capacity:
        raise ValidationError(
            _("Diese Schicht ist leider schon voll.") if shift else _("Alle Plätze sind vergeben."),
            code="full",
        )
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(
                municipality_id=task.municipality_id,
                project_id=task.project_id,
                task=task,
                shift=shift,
                **person,
            )
    except IntegrityError as again:  # the same person, twice at once
        raise ValidationError(twice, code="twice") from again
    type(locked).objects.filter(pk=locked.pk).update(taken=F("taken") + 1)
    project_content_changed(project_id=task.project_id)
    return commitment


@transaction.atomic
@audited(
    gettext_lazy("Zusage vor Ort aufgenommen"),
    fields=["task", "shift", "source_event", "created_at"],
)
def commitment_record_on_site(
    *,
    actor: Any,
    event: Event,
    task: Task,
    shift: Shift | None = None,
    name: str,
    phone: str = "",
    email: str = "",
) -> Commitment:
    """Write down the sign-up of someone without an account, said at ``event`` (of the task's
    project), within capacity as any sign-up. Only the project's managers; the name, phone and
    e-mail are shown to them alone and forgotten with the project's retention. The log names the
    task and shift, not the person."""
    require(
        "implementation.can_see_volunteers",
        actor,
        task,
        _("Zusagen vor Ort nehmen die auf, die das Vorhaben verwalten."),
    )
    if not task.is_published:
        raise PermissionDenied(_("Diese Aufgabe ist noch nicht veröffentlicht."))
    if event.project_id != task.project_id:
        raise ValidationError(
            {"shift": _("Diese Aufgabe gehört zu einem anderen Vorhaben als die Veranstaltung.")}
        )
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Bitte schreiben Sie den Namen der Person auf.")})
    commitment = Commitment(email=email.strip(), phone=phone.strip(), contributor_name=name)
    commitment.full_clean(
        exclude=["municipality", "project", "task", "shift", "user", "source_event"]
    )
    return _take_place(
        task,
        shift,
        already=Commitment.objects.filter(source_event=event, contributor_name=name),
        twice=_("%(name)s hat hier schon zugesagt.") % {"name": name},
        source_event=event,
        contributor_name=name,
        phone=commitment.phone,
        email=commitment.email,
    )


def _release(commitment: Commitment) -> None:
    model, pk = (Shift, commitment.shift_id) if commitment.shift_id else (Task, commitment.task_id)
    model.objects.filter(pk=pk).update(taken=F("taken") - 1)


@transaction.atomic
def commitment_cancel(*, actor: Any, commitment: Commitment) -> Commitment:
    """Give the place back; only before the shift or the day begins."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("task", "shift")
        .get(pk=commitment.pk)
    )
    if commitment.user_id != actor.pk:
        raise PermissionDenied(_("Nur wer zugesagt hat, kann absagen."))
    if commitment.cancelled_at is not None:
        raise ValidationError(_("Diese Zusage ist schon abgesagt."))
    if _too_late(commitment.task, commitment.shift):
        raise ValidationError(
            _("Das hat schon begonnen; bitte melden Sie sich bei der Ansprechperson.")
        )
    _cancel(commitment)
    return commitment


def _cancel(commitment: Commitment) -> None:
    """Cancel and give the place back; the caller holds the commitment's row lock."""
    commitment.cancelled_at = timezone.now()
    commitment.save(update_fields=["cancelled_at"])
    _release(commitment)
    project_content_changed(project_id=commitment.project_id)


@transaction.atomic
def commitments_release(*, user: Any) -> int:
    """Cancel every commitment of ``user`` that has not begun, giving the places back (account
    deletion), and forget the phone numbers and contact consents of all of them.

    What has begun or is done stays on record, as it happened, without the person's contact.
    Returns how many places were given back.
    """
    released = 0
    for commitment in (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("task", "shift")
        .filter(user=user, cancelled_at__isnull=True)
    ):
        if not _too_late(commitment.task, commitment.shift):
            _cancel(commitment)
            released += 1
    commitment_contacts_clear(commitments=Commitment.objects.filter(user=user))
    return released


@transaction.atomic
def commitment_contacts_clear(*, commitments: QuerySet[Commitment]) -> int:
    """Forget the phone numbers and contact consents of ``commitments`` (deletion, retention),
    and the names and addresses written down for sign-ups on site (they become "anonym")."""
    return commitments.filter(
        Q(share_contact=True) | ~Q(phone="") | ~Q(email="") | ~Q(contributor_name="")
    ).update(share_contact=False, phone="", email="", contributor_name="")


@transaction.atomic
def commitment_report_done(
    *, actor: Any, commitment: Commitment, hours: Decimal | None = None
) -> Commitment:
    """Report back that the work is done, with the hours it took if one likes to say."""
    if commitment.user_id != actor.pk:
        raise PermissionDenied(_("Nur wer zugesagt hat, kann das melden."))
    if commitment.cancelled_at is not None:
        raise ValidationError(_("Diese Zusage ist abgesagt."))
    if not _has_started(commitment.task, commitment.shift):
        raise ValidationError(_("Erledigt melden können Sie, sobald es begonnen hat."))
    if hours is not None and not Decimal("0") < Decimal(hours) <= Decimal("24"):
        raise ValidationError({"hours": _("Bitte geben Sie zwischen 0,5 und 24 Stunden an.")})
    commitment.done_at = timezone.now()
    commitment.hours = hours
    commitment.save(update_fields=["done_at", "hours"])
    return commitment


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user: Any) -> str:
    """A new private feed address for ``user``; the old one stops working. Returns the secret."""
    calendar_token_revoke(user=user)
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=user, token_hash=_hash(token))
    return token


@transaction.atomic
def calendar_token_revoke(*, user: Any) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_token_user(*, token: str) -> Any | None:
    """The owner of a live feed token, or None. The secret itself is never stored."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return found.user if found else None

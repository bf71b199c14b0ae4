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
from django.utils.translation import gettext_lazy, ngettext

from koproduktion.core.audit import audited
from koproduktion.core.models import Organisation
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.selectors import represents
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


def _check_acting_for(actor: Any, organisation: Organisation | None, municipality_id: int) -> None:
    """Only its representatives of the day act for an organisation, and only in its own town."""
    if organisation is None:
        return
    if organisation.municipality_id != municipality_id or not represents(
        user=actor, organisation=organisation
    ):
        raise PermissionDenied(_("Sie vertreten diese Organisation nicht."))


def _full(field: str, message: str) -> ValidationError:
    """A refusal for lack of places, at ``field`` for the page, with the code "full" for
    callers that tell it from other refusals (the API, the concurrency test)."""
    error = ValidationError({field: ValidationError(message, code="full")})
    error.code = "full"
    return error


def _check_free(locked: Shift | Task, shift: Shift | None, people: int) -> None:
    """Refuse more people than places are left; the caller holds ``locked``'s row lock."""
    free = locked.capacity - locked.taken
    if free <= 0:
        if shift is not None:
            raise _full("shift", _("Diese Schicht ist leider schon voll."))
        raise _full("people", _("Alle Plätze sind vergeben."))
    if people > free:
        raise _full(
            "people",
            ngettext(
                "Hier ist nur noch %(free)d Platz frei.",
                "Hier sind nur noch %(free)d Plätze frei.",
                free,
            )
            % {"free": free},
        )


def _check_people(organisation: Organisation | None, people: int) -> None:
    if people < 1:
        raise ValidationError({"people": _("Bitte geben Sie mindestens eine Person an.")})
    if organisation is None and people != 1:
        raise ValidationError(
            {
                "people": _(
                    "Für sich selbst sagen Sie für eine Person zu; mehr für eine Organisation."
                )
            }
        )


@transaction.atomic
def task_commit(
    *,
    actor: Any,
    task: Task,
    shift: Shift | None = None,
    share_contact: bool = False,
    phone: str = "",
    ip: str = "",
    organisation: Organisation | None = None,
    people: int = 1,
) -> Commitment:
    """Sign ``actor`` up for ``task`` (or one of its shifts), within capacity; or, as one of its
    representatives, ``organisation`` with the ``people`` it sends.

    Sign-ups are rate-limited per account and per client address (``ip``), so that signing up
    and cancelling in a loop cannot flood the organisers' lists.

    The shift's (or the task's) row is locked with SELECT … FOR UPDATE before the free places are
    counted, so concurrent sign-ups queue up on it and never overbook; the check constraint
    ``taken <= capacity`` would refuse an overbooking even so. Places count people: an
    organisation's commitment takes as many as it sends.
    """
    if not task.is_published:
        raise PermissionDenied(_("Diese Aufgabe ist noch nicht veröffentlicht."))
    reason = refusal_reason(actor, task.project, Capability.TAKE_ON_TASK)
    if reason:
        raise PermissionDenied(reason)
    _check_acting_for(actor, organisation, task.municipality_id)
    check_rate(action="signup", user=actor, ip=ip)
    _check_people(organisation, people)
    live = Commitment.objects.filter(task=task, shift=shift, cancelled_at__isnull=True)
    already = [(live.filter(user=actor), _("Sie haben hier schon zugesagt."))]
    if organisation is not None:
        already.append(
            (
                live.filter(organisation=organisation),
                _("%(name)s hat hier schon zugesagt.") % {"name": organisation.name},
            )
        )
    return _take_place(
        task,
        shift,
        people=people,
        already=already,
        user=actor,
        organisation=organisation,
        share_contact=share_contact,
        phone=phone.strip()[:50],
    )


def _take_place(
    task: Task,
    shift: Shift | None,
    *,
    people: int,
    already: list[tuple[QuerySet[Commitment], str]],
    **person: Any,
) -> Commitment:
    """Store a commitment of ``person`` (the commitment's fields) within capacity.

    The shift's (or the task's) row is locked with SELECT … FOR UPDATE before the free places are
    counted, so concurrent sign-ups queue up on it and never overbook; the check constraint
    ``taken <= capacity`` would refuse an overbooking even so. Places count people: an
    organisation's commitment takes as many as it sends. ``already``: the live commitments here
    that make this one a second, each with its refusal.
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
    for commitments, twice in already:
        if commitments.exists():
            raise ValidationError(twice, code="twice")
    _check_free(locked, shift, people)
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(
                municipality_id=task.municipality_id,
                project_id=task.project_id,
                task=task,
                shift=shift,
                people=people,
                **person,
            )
    except IntegrityError as again:  # the same person (or organisation), twice at once
        raise ValidationError(already[0][1], code="twice") from again
    type(locked).objects.filter(pk=locked.pk).update(taken=F("taken") + people)
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
        exclude=["municipality", "project", "task", "shift", "user", "organisation", "source_event"]
    )
    here = Commitment.objects.filter(
        task=task, shift=shift, cancelled_at__isnull=True, source_event=event
    )
    return _take_place(
        task,
        shift,
        people=1,
        already=[
            (
                here.filter(contributor_name=name),
                _("%(name)s hat hier schon zugesagt.") % {"name": name},
            )
        ],
        source_event=event,
        contributor_name=name,
        phone=commitment.phone,
        email=commitment.email,
    )


def _release(commitment: Commitment) -> None:
    model, pk = (Shift, commitment.shift_id) if commitment.shift_id else (Task, commitment.task_id)
    model.objects.filter(pk=pk).update(taken=F("taken") - commitment.people)


def _require_own(actor: Any, commitment: Commitment, refusal: str) -> None:
    """A person's own commitment is theirs; an organisation's belongs to whoever represents it
    now (not to a former representative who once made it)."""
    if commitment.organisation_id is not None:
        if not represents(user=actor, organisation=commitment.organisation):
            raise PermissionDenied(refusal)
    elif commitment.user_id != actor.pk:
        raise PermissionDenied(refusal)


@transaction.atomic
def commitment_cancel(*, actor: Any, commitment: Commitment) -> Commitment:
    """Give the place back; only before the shift or the day begins."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("task", "shift", "organisation")
        .get(pk=commitment.pk)
    )
    _require_own(actor, commitment, _("Nur wer zugesagt hat, kann absagen."))
    if commitment.cancelled_at is not None:
        raise ValidationError(_("Diese Zusage ist schon abgesagt."))
    if _too_late(commitment.task, commitment.shift):
        raise ValidationError(
            _("Das hat schon begonnen; bitte melden Sie sich bei der Ansprechperson.")
        )
    _cancel(commitment)
    return commitment


@transaction.atomic
@audited(
    gettext_lazy("Zusage vor Ort abgesagt"),
    target="commitment",
    fields=["task", "shift", "source_event", "cancelled_at"],
)
def commitment_cancel_on_site(*, actor: Any, commitment: Commitment) -> Commitment:
    """Cancel a sign-up written down at an event for someone without an account, who cannot
    cancel it themselves (they called, or said so at the door). Only the project's managers, and
    only before the shift or the day begins, as for everyone; the place goes back. The log names
    the task and shift, not the person."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("task", "shift")
        .get(pk=commitment.pk)
    )
    require(
        "implementation.can_see_volunteers",
        actor,
        commitment.task,
        _("Zusagen vor Ort sagen die ab, die das Vorhaben verwalten."),
    )
    if commitment.user_id is not None or commitment.organisation_id is not None:
        raise PermissionDenied(
            _("Wer mit eigenem Konto zugesagt hat, sagt selbst unter „Meine Zusagen“ ab.")
        )
    if commitment.cancelled_at is not None:
        raise ValidationError(_("Diese Zusage ist schon abgesagt."))
    if _too_late(commitment.task, commitment.shift):
        raise ValidationError(_("Das hat schon begonnen; eine Absage ändert nichts mehr."))
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
    deletion), and forget the phone numbers and contact consents of all of them. What they
    committed as an organisation stays the organisation's.

    What has begun or is done stays on record, as it happened, without the person's contact.
    Returns how many places were given back.
    """
    released = 0
    for commitment in (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("task", "shift")
        .filter(user=user, organisation__isnull=True, cancelled_at__isnull=True)
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
    _require_own(actor, commitment, _("Nur wer zugesagt hat, kann das melden."))
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

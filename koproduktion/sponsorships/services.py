"""Writes of sponsorships: the register of objects, applications, agreements, handing back."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koproduktion.core.models import Membership
from koproduktion.core.permissions import require
from koproduktion.core.roles import Role
from koproduktion.implementation.services.common import check_point
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.rules import is_participant

from .models import ObjectKind, Sponsorship, SponsorshipObject, SponsorshipStatus


def object_url(obj: SponsorshipObject) -> str:
    return reverse("sponsorships:detail", args=[obj.municipality.slug, obj.pk])


@transaction.atomic
def object_create(
    *,
    actor: Any,
    municipality: Any,
    kind: ObjectKind,
    name: str,
    latitude: float,
    longitude: float,
    address: str = "",
    description: str = "",
    duties: str = "",
    neighbourhood: Any = None,
) -> SponsorshipObject:
    require(
        "sponsorships.can_manage", actor, municipality, _("Das Register pflegt die Verwaltung.")
    )
    check_point(municipality, latitude, longitude)
    obj = SponsorshipObject(
        municipality=municipality,
        kind=ObjectKind(kind),
        name=name.strip(),
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        description=description.strip(),
        duties=duties.strip(),
        neighbourhood=neighbourhood,
    )
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def sponsorship_apply(
    *,
    actor: Any,
    obj: SponsorshipObject,
    motivation: str = "",
    organisation: Any = None,
    wished_start: datetime.date | None = None,
) -> Sponsorship:
    """Apply to care for ``obj``, as oneself or for an organisation one represents."""
    if not obj.is_active:
        raise PermissionDenied(_("Dieses Objekt ist nicht mehr im Register."))
    if not is_participant(actor, obj):
        raise PermissionDenied(
            _(
                "Patenschaften übernehmen alle, die in dieser Kommune registriert und bestätigt sind."
            )
        )
    if (
        organisation is not None
        and not Membership.objects.filter(
            user=actor, role=Role.ORGANISATION, organisation=organisation
        ).exists()
    ):
        raise PermissionDenied(_("Sie vertreten diese Organisation nicht."))
    if Sponsorship.objects.filter(
        object=obj, sponsor=actor, status=SponsorshipStatus.APPLIED
    ).exists():
        raise ValidationError(_("Ihr Antrag für dieses Objekt liegt schon vor."), code="twice")
    sponsorship = Sponsorship(
        municipality_id=obj.municipality_id,
        object=obj,
        sponsor=actor,
        organisation=organisation,
        motivation=motivation.strip(),
        wished_start=wished_start,
    )
    sponsorship.full_clean()
    sponsorship.save()
    return sponsorship


def _overlapping(sponsorship: Sponsorship, start: datetime.date, end: datetime.date):
    return (
        Sponsorship.objects.filter(
            object_id=sponsorship.object_id,
            status=SponsorshipStatus.APPROVED,
            term_start__lte=end,
            term_end__gte=start,
        )
        .exclude(pk=sponsorship.pk)
        .first()
    )


@transaction.atomic
def sponsorship_approve(
    *,
    actor: Any,
    sponsorship: Sponsorship,
    term_start: datetime.date,
    term_end: datetime.date,
    duties: str,
    insurance_note: str = "",
) -> Sponsorship:
    """Agree the terms. Two agreements on one object may not overlap in time.

    The object's row is locked first, so two approvals at once cannot both pass the check.
    """
    obj = sponsorship.object
    require("sponsorships.can_manage", actor, obj, _("Patenschaften vereinbart die Verwaltung."))
    SponsorshipObject.objects.select_for_update().get(pk=obj.pk)
    sponsorship = Sponsorship.objects.select_for_update().get(pk=sponsorship.pk)
    if sponsorship.status != SponsorshipStatus.APPLIED:
        raise ValidationError(_("Über diesen Antrag ist schon entschieden."))
    if term_end <= term_start:
        raise ValidationError({"term_end": _("Das Ende muss nach dem Beginn liegen.")})
    if not duties.strip():
        raise ValidationError({"duties": _("Bitte nennen Sie die Pflichten der Patenschaft.")})
    other = _overlapping(sponsorship, term_start, term_end)
    if other is not None:
        raise ValidationError(
            {
                "term_start": _(
                    "Dieses Objekt ist vom %(start)s bis %(end)s schon in Patenschaft; die "
                    "Zeiträume dürfen sich nicht überschneiden."
                )
                % {
                    "start": date_format(other.term_start, "SHORT_DATE_FORMAT"),
                    "end": date_format(other.term_end, "SHORT_DATE_FORMAT"),
                }
            }
        )
    sponsorship.status = SponsorshipStatus.APPROVED
    sponsorship.term_start, sponsorship.term_end = term_start, term_end
    sponsorship.duties, sponsorship.insurance_note = duties.strip(), insurance_note.strip()
    sponsorship.decided_by, sponsorship.decided_at = actor, timezone.now()
    sponsorship.full_clean()
    sponsorship.save()
    notify(
        user_ids=[sponsorship.sponsor_id],
        municipality_id=sponsorship.municipality_id,
        kind=Kind.STATUS_CHANGE,
        message=_("Ihre Patenschaft für „%(name)s“ ist vereinbart.") % {"name": obj.name},
        url=object_url(obj),
    )
    return sponsorship


@transaction.atomic
def sponsorship_reject(*, actor: Any, sponsorship: Sponsorship, reason: str) -> Sponsorship:
    obj = sponsorship.object
    require("sponsorships.can_manage", actor, obj, _("Patenschaften vereinbart die Verwaltung."))
    if sponsorship.status != SponsorshipStatus.APPLIED:
        raise ValidationError(_("Über diesen Antrag ist schon entschieden."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte begründen Sie die Ablehnung.")})
    sponsorship.status = SponsorshipStatus.REJECTED
    sponsorship.decision_reason = reason.strip()
    sponsorship.decided_by, sponsorship.decided_at = actor, timezone.now()
    sponsorship.save()
    notify(
        user_ids=[sponsorship.sponsor_id],
        municipality_id=sponsorship.municipality_id,
        kind=Kind.STATUS_CHANGE,
        message=_("Ihr Antrag auf eine Patenschaft für „%(name)s“ wurde abgelehnt: %(reason)s")
        % {"name": obj.name, "reason": sponsorship.decision_reason},
        url=object_url(obj),
    )
    return sponsorship


@transaction.atomic
def sponsorship_withdraw(*, actor: Any, sponsorship: Sponsorship) -> Sponsorship:
    require(
        "sponsorships.can_withdraw",
        actor,
        sponsorship,
        _("Diesen Antrag können Sie nicht zurückziehen."),
    )
    sponsorship.status = SponsorshipStatus.WITHDRAWN
    sponsorship.save(update_fields=["status"])
    return sponsorship


@transaction.atomic
def sponsorship_hand_back(*, actor: Any, sponsorship: Sponsorship, reason: str = "") -> Sponsorship:
    """End a running agreement today; the object is free again from tomorrow."""
    require(
        "sponsorships.can_hand_back",
        actor,
        sponsorship,
        _("Zurückgeben kann nur die Patin oder der Pate einer laufenden Patenschaft."),
    )
    today = timezone.localdate()
    sponsorship.status = SponsorshipStatus.ENDED
    sponsorship.ended_at = timezone.now()
    sponsorship.end_reason = reason.strip()
    if sponsorship.term_end > today:
        sponsorship.term_end = max(today, sponsorship.term_start + datetime.timedelta(days=1))
    sponsorship.save()
    return sponsorship

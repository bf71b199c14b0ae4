"""Writes of sponsorships: the register of objects, applications, agreements, handing back."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.permissions import require
from koproduktion.core.selectors import represents
from koproduktion.implementation.services.common import check_point
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.rules import is_participant

from .models import ObjectKind, Sponsorship, SponsorshipObject, SponsorshipStatus


def object_url(obj: SponsorshipObject) -> str:
    return reverse("sponsorships:detail", args=[obj.municipality.slug, obj.pk])


@transaction.atomic
@audited(gettext_lazy("Objekt ins Register aufgenommen"))
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


# What staff may change on an object, in the order the form asks; the register state has its
# own service (object_retire).
EDITABLE_FIELDS = (
    "kind",
    "name",
    "description",
    "duties",
    "neighbourhood",
    "address",
    "latitude",
    "longitude",
)


@transaction.atomic
@audited(gettext_lazy("Objekt im Register geändert"), target="obj")
def object_update(*, actor: Any, obj: SponsorshipObject, **fields: Any) -> SponsorshipObject:
    """Change the given fields of ``obj``, checked as in ``object_create``.

    Works on a fresh, locked copy of the row and returns it: when the input is refused, ``obj``
    is left as it was, so a page can still show the stored name next to the typed one.
    """
    require("sponsorships.can_manage", actor, obj, _("Das Register pflegt die Verwaltung."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"object_update() cannot change {', '.join(sorted(unknown))}")
    updated = SponsorshipObject.objects.select_for_update().get(pk=obj.pk)
    updated.municipality = obj.municipality
    for field, value in fields.items():
        setattr(updated, field, value.strip() if isinstance(value, str) else value)
    check_point(updated.municipality, updated.latitude, updated.longitude)
    updated.full_clean()
    updated.save(update_fields=sorted(fields))
    return updated


@transaction.atomic
@audited(gettext_lazy("Objekt aus dem Register genommen"), target="obj", fields=["is_active"])
def object_retire(*, actor: Any, obj: SponsorshipObject, reason: str) -> SponsorshipObject:
    """Take ``obj`` off the register (a felled tree, a removed bench); nothing is deleted.

    Its running agreements end today and its open applications are declined, both with
    ``reason`` and through the same steps as handing back and rejecting, so their history stays;
    each sponsor is told once. The object's row is locked first, as ``sponsorship_approve`` and
    ``sponsorship_apply`` do, so an approval or application at the same moment either comes
    before (and is ended here) or finds the object gone.
    """
    require("sponsorships.can_manage", actor, obj, _("Das Register pflegt die Verwaltung."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Bitte nennen Sie den Grund; die Pat*innen erfahren ihn.")}
        )
    retired = SponsorshipObject.objects.select_for_update().get(pk=obj.pk)
    retired.municipality = obj.municipality
    if not retired.is_active:
        raise ValidationError(_("Dieses Objekt ist nicht mehr im Register."))
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    ended: set[int] = set()
    declined: set[int] = set()
    for sponsorship in Sponsorship.objects.select_for_update().filter(
        object=retired, status__in=[SponsorshipStatus.APPROVED, SponsorshipStatus.APPLIED]
    ):
        if sponsorship.status == SponsorshipStatus.APPROVED:
            _end(sponsorship, reason=reason)
            ended.add(sponsorship.sponsor_id)
        else:
            _decline(sponsorship, actor=actor, reason=reason)
            declined.add(sponsorship.sponsor_id)
    url = object_url(retired)
    notify(
        user_ids=ended,
        municipality_id=retired.municipality_id,
        kind=Kind.SPONSORSHIP,
        message=lambda: (
            _(
                "„%(name)s“ ist nicht mehr im Register, Ihre Patenschaft endet damit. "
                "Grund: %(reason)s"
            )
            % {"name": retired.name, "reason": reason}
        ),
        url=url,
    )
    # Someone with a running agreement and an application for the next term hears it once.
    notify(
        user_ids=declined - ended,
        municipality_id=retired.municipality_id,
        kind=Kind.SPONSORSHIP,
        message=lambda: (
            _(
                "„%(name)s“ ist nicht mehr im Register, Ihr Antrag auf eine Patenschaft ist "
                "damit abgelehnt. Grund: %(reason)s"
            )
            % {"name": retired.name, "reason": reason}
        ),
        url=url,
    )
    return retired


@transaction.atomic
def sponsorship_apply(
    *,
    actor: Any,
    obj: SponsorshipObject,
    motivation: str = "",
    organisation: Any = None,
    wished_start: datetime.date | None = None,
) -> Sponsorship:
    """Apply to care for ``obj``, as oneself or for an organisation one represents.

    The object's row is locked, so an application cannot slip in while staff retire the object.
    """
    if not SponsorshipObject.objects.select_for_update().only("is_active").get(pk=obj.pk).is_active:
        raise PermissionDenied(_("Dieses Objekt ist nicht mehr im Register."))
    if not is_participant(actor, obj):
        raise PermissionDenied(
            _(
                "Patenschaften übernehmen alle, die in dieser Kommune registriert und bestätigt sind."
            )
        )
    if organisation is not None and (
        organisation.municipality_id != obj.municipality_id
        or not represents(user=actor, organisation=organisation)
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
@audited(gettext_lazy("Patenschaft vereinbart"), target="sponsorship")
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
        kind=Kind.SPONSORSHIP,
        message=lambda: _("Ihre Patenschaft für „%(name)s“ ist vereinbart.") % {"name": obj.name},
        url=object_url(obj),
    )
    return sponsorship


@transaction.atomic
@audited(gettext_lazy("Patenschaftsantrag abgelehnt"), target="sponsorship")
def sponsorship_reject(*, actor: Any, sponsorship: Sponsorship, reason: str) -> Sponsorship:
    obj = sponsorship.object
    require("sponsorships.can_manage", actor, obj, _("Patenschaften vereinbart die Verwaltung."))
    if sponsorship.status != SponsorshipStatus.APPLIED:
        raise ValidationError(_("Über diesen Antrag ist schon entschieden."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte begründen Sie die Ablehnung.")})
    _decline(sponsorship, actor=actor, reason=reason.strip())
    notify(
        user_ids=[sponsorship.sponsor_id],
        municipality_id=sponsorship.municipality_id,
        kind=Kind.SPONSORSHIP,
        message=lambda: (
            _("Ihr Antrag auf eine Patenschaft für „%(name)s“ wurde abgelehnt: %(reason)s")
            % {"name": obj.name, "reason": sponsorship.decision_reason}
        ),
        url=object_url(obj),
    )
    return sponsorship


def _decline(sponsorship: Sponsorship, *, actor: Any, reason: str) -> None:
    """Record the decision against an application; the caller has checked it is open."""
    sponsorship.status = SponsorshipStatus.REJECTED
    sponsorship.decision_reason = reason
    sponsorship.decided_by, sponsorship.decided_at = actor, timezone.now()
    sponsorship.save()


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
    _end(sponsorship, reason=reason.strip())
    return sponsorship


def _end(sponsorship: Sponsorship, *, reason: str) -> None:
    """End a running agreement today, keeping its term up to now; the caller has checked it."""
    today = timezone.localdate()
    sponsorship.status = SponsorshipStatus.ENDED
    sponsorship.ended_at = timezone.now()
    sponsorship.end_reason = reason
    if sponsorship.term_end > today:
        sponsorship.term_end = max(today, sponsorship.term_start + datetime.timedelta(days=1))
    sponsorship.save()


@transaction.atomic
def sponsorships_end_for_deleted_account(*, sponsor: Any) -> None:
    """End everything ``sponsor`` has running, before their account is deleted.

    Open applications are withdrawn and running agreements handed back today, through the same
    services as the sponsor's own buttons, so the objects are free again for others; the texts
    the person wrote in their applications are forgotten. The history (who cared for what, when)
    stays, under "deleted account".
    """
    with translation.override(settings.LANGUAGE_CODE):
        # Staff read the reason; it is stored in the platform's first language.
        reason = _("Die Patin oder der Pate hat das Konto gelöscht.")
    for sponsorship in Sponsorship.objects.select_for_update().filter(sponsor=sponsor):
        if sponsorship.status == SponsorshipStatus.APPLIED:
            sponsorship_withdraw(actor=sponsor, sponsorship=sponsorship)
        elif sponsorship.status == SponsorshipStatus.APPROVED:
            sponsorship_hand_back(actor=sponsor, sponsorship=sponsorship, reason=reason)
    Sponsorship.objects.filter(sponsor=sponsor).exclude(motivation="").update(motivation="")

"""What an initiative looks for ("Gesucht"), and the offers that answer it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.core.models import (
    Organisation,
)
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify

from ..models import (
    Initiative,
    Need,
    NeedKind,
    NeedOffer,
    OfferStatus,
)
from ..rules import initiator_ids
from .common import INITIATORS_ONLY, _check_organisation, initiative_url

if TYPE_CHECKING:
    from koproduktion.accounts.models import User


@transaction.atomic
def need_add(
    *,
    actor: User,
    initiative: Initiative,
    kind: NeedKind,
    description: str,
    quantity: int = 1,
    when: str = "",
) -> Need:
    """The initiators say what they are looking for."""
    require("initiatives.can_add_need", actor, initiative, str(INITIATORS_ONLY))
    need = Need(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        kind=kind,
        description=description.strip(),
        quantity=quantity,
        when=when.strip(),
    )
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def need_offer(
    *,
    actor: User,
    need: Need,
    message: str,
    contact: str = "",
    organisation: Organisation | None = None,
    ip: str = "",
) -> NeedOffer:
    """Answer a need with an offer. The initiators are told that an offer came, on the
    platform; the message and contact reach no one by mail, and the contact only the
    initiators, once they accept."""
    require(
        "initiatives.can_offer",
        actor,
        need,
        _("Anbieten können alle aus der Kommune, solange das Gesuch offen ist."),
    )
    check_rate(action="offer", user=actor, ip=ip)
    _check_organisation(actor, organisation, "organisation")
    offer = NeedOffer(
        need=need,
        municipality_id=need.municipality_id,
        user=actor,
        organisation=organisation,
        message=message.strip(),
        contact=contact.strip(),
    )
    offer.full_clean(exclude=["need", "user", "municipality"])
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as twice:
        raise ValidationError(
            {"message": _("Sie haben hierfür schon ein offenes Angebot.")}, code="twice"
        ) from twice
    initiative = need.initiative
    title = initiative.title
    notify(
        user_ids=initiator_ids(initiative),
        municipality_id=need.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: _("Neues Angebot für „%(title)s“.") % {"title": title},
        url=initiative_url(initiative) + f"#gesuch-{need.pk}",
    )
    return offer


def _decide(actor: User, offer: NeedOffer, status: OfferStatus) -> NeedOffer:
    need = Need.objects.select_for_update().get(pk=offer.need_id)
    initiative = need.initiative
    require("initiatives.can_decide_offer", actor, initiative, str(INITIATORS_ONLY))
    offer = NeedOffer.objects.get(pk=offer.pk)
    if offer.status != OfferStatus.OPEN:
        raise ValidationError(_("Über dieses Angebot ist schon entschieden."))
    if status == OfferStatus.ACCEPTED and need.fulfilled_at is not None:
        raise ValidationError(_("Das Gesuch ist schon erfüllt."))
    offer.status = status
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    if status == OfferStatus.ACCEPTED:
        need.accepted_count += 1
        if need.accepted_count >= need.quantity:
            need.fulfilled_at = timezone.now()
        need.save(update_fields=["accepted_count", "fulfilled_at"])
    title = initiative.title
    notify(
        user_ids=[offer.user_id],
        municipality_id=offer.municipality_id,
        kind=Kind.INITIATIVE,
        message=(
            (lambda: _("Ihr Angebot für „%(title)s“ ist angenommen.") % {"title": title})
            if status == OfferStatus.ACCEPTED
            else (lambda: _("Ihr Angebot für „%(title)s“ wird nicht gebraucht.") % {"title": title})
        ),
        url=initiative_url(initiative) + f"#gesuch-{need.pk}",
    )
    return offer


@transaction.atomic
def offer_accept(*, actor: User, offer: NeedOffer) -> NeedOffer:
    """The initiators take the offer: contacts are shown to both sides; enough accepted
    offers fulfil the need."""
    return _decide(actor, offer, OfferStatus.ACCEPTED)


@transaction.atomic
def offer_decline(*, actor: User, offer: NeedOffer) -> NeedOffer:
    return _decide(actor, offer, OfferStatus.DECLINED)


@transaction.atomic
def offer_withdraw(*, actor: User, offer: NeedOffer) -> NeedOffer:
    """Who offered takes an open offer back."""
    if offer.user_id != actor.pk:
        raise PermissionDenied(_("Nur wer angeboten hat, kann das Angebot zurückziehen."))
    if not NeedOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
        status=OfferStatus.WITHDRAWN, decided_at=timezone.now()
    ):
        raise ValidationError(_("Über dieses Angebot ist schon entschieden."))
    offer.refresh_from_db()
    return offer

"""Steps of deleting an account: what a person did in initiatives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import (
    Initiative,
    Initiator,
    NeedOffer,
    OfferStatus,
)
from .people import initiative_unsupport

if TYPE_CHECKING:
    from koproduktion.accounts.models import User


@transaction.atomic
def supports_release(*, user: User) -> int:
    """Withdraw every support of ``user`` (account deletion), keeping the counts."""
    count = 0
    for initiative in Initiative.objects.filter(supporters__user=user):
        count += initiative_unsupport(actor=user, initiative=initiative)
    return count


@transaction.atomic
def offers_release(*, user: User) -> None:
    """Open offers are withdrawn; every offer's message and contact cleared."""
    NeedOffer.objects.filter(user=user, status=OfferStatus.OPEN).update(
        status=OfferStatus.WITHDRAWN, decided_at=timezone.now()
    )
    NeedOffer.objects.filter(user=user).update(message="", contact="")


@transaction.atomic
def initiator_contacts_clear(*, user: User) -> None:
    """The contact a starter gave goes with the account; open requests to join too."""
    Initiative.objects.filter(created_by=user).update(contact="")
    Initiator.objects.filter(user=user, accepted_at__isnull=True).delete()
    Initiator.objects.filter(user=user).update(message="")

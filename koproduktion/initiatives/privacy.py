"""Initiatives in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import Initiative, Initiator, NeedOffer, StateChange, Supporter
from .services import initiator_contacts_clear, offers_release, supports_release


def _supports(user: Any) -> None:
    supports_release(user=user)


def _offers(user: Any) -> None:
    offers_release(user=user)


def _initiators(user: Any) -> None:
    initiator_contacts_clear(user=user)


register(
    name="initiatives_started",
    model=Initiative,
    field="created_by",
    values=("title", "summary", "why", "help_needed", "contact", "state", "created_at"),
    kept="a public proposal, as an idea: it stays under the anonymous account; the contact "
    "given for helpers is cleared with the initiator rows",
)
register(
    name="initiatives_joined",
    model=Initiator,
    field="user",
    values=("initiative__title", "message", "is_starter", "accepted_at", "created_at"),
    erase=_initiators,
)
register(
    name="initiatives_supported",
    model=Supporter,
    field="user",
    values=("initiative__title", "created_at"),
    erase=_supports,
)
register(
    name="initiative_offers",
    model=NeedOffer,
    field="user",
    values=("need__initiative__title", "need__description", "message", "contact", "status"),
    erase=_offers,
)
register(
    name="initiative_contacts",
    model=Initiative,
    field="contact_person",
    values=("title", "partner_department__name"),
    kept="the administration's named contact for a partnership, a record of its work",
)
register(
    name="initiative_steps",
    model=StateChange,
    field="changed_by",
    values=("initiative__title", "new_state", "reason", "changed_at"),
    kept="the public history of an initiative; the person shows as the anonymous account",
)

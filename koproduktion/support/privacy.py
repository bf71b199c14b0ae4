"""Support offers and their links in the data download and on account deletion (see
accounts.personal_data)."""

from __future__ import annotations

from koproduktion.accounts.personal_data import register

from .models import SupportLink, SupportOffer

register(
    name="support_offers_created",
    model=SupportOffer,
    field="created_by",
    values=("title", "building_block", "state", "created_at"),
    kept="the administration's catalogue entry, a record of its work; the person shows as the "
    "anonymous account and is named nowhere on the site",
)
register(
    name="support_links",
    model=SupportLink,
    field="linked_by",
    values=("offer__title", "project__title", "initiative__title", "note", "linked_at"),
    kept="a public link between an offer and a project or initiative, which belongs to it; the "
    "person shows as the anonymous account and is named nowhere on the site",
)

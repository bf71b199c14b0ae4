"""Sponsorships in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import Sponsorship
from .services import sponsorships_end_for_deleted_account


def _end_sponsorships(user: Any) -> None:
    sponsorships_end_for_deleted_account(sponsor=user)


register(
    name="sponsorships",
    model=Sponsorship,
    field="sponsor",
    values=(
        "object__name",
        "organisation__name",
        "status",
        "motivation",
        "wished_start",
        "term_start",
        "term_end",
        "duties",
        "created_at",
        "ended_at",
    ),
    erase=_end_sponsorships,
)
register(
    name="sponsorships_decided",
    model=Sponsorship,
    field="decided_by",
    values=("object__name", "status", "decided_at"),
    kept="staff's decisions on applications",
)

"""Roles and blocks in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import AuditEntry, Block, Membership, Organisation
from .services import memberships_remove

# Other apps' steps may ask the person's roles (rules), so roles go last.
LAST = 100


def _remove(user: Any) -> None:
    memberships_remove(user=user)


register(
    name="roles",
    model=Membership,
    field="user",
    values=("municipality__name", "role", "organisation__name"),
    erase=_remove,
    order=LAST,
)
register(
    name="blocks",
    model=Block,
    field="user",
    values=("municipality__name", "reason", "ends_at", "lifted_at", "created_at"),
    erase=_remove,
    order=LAST,
)
register(
    name="blocks_imposed",
    model=Block,
    field="created_by",
    values=("municipality__name", "created_at"),
    kept="a record of what moderators did",
)
register(
    name="administration_log",
    model=AuditEntry,
    field="actor",
    values=("municipality__name", "created_at", "action", "target_type", "target_repr", "reason"),
    kept="a record of what staff and admins did, kept for accountability under the name they acted as",
)
register(
    name="organisations_confirmed",
    model=Organisation,
    field="verified_by",
    values=("municipality__name", "name", "verified_at"),
    kept="a record of who confirmed an organisation for the town; the name goes with the account",
)

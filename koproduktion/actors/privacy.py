"""Requests to the town about organisations, in the data download and on account deletion
(see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import RepresentationRequest
from .services import representation_requests_release


def _release(user: Any) -> None:
    representation_requests_release(user=user)


register(
    name="organisation_requests",
    model=RepresentationRequest,
    field="user",
    values=("name", "kind", "message", "status", "reason", "created_at", "decided_at"),
    erase=_release,
)
register(
    name="organisation_requests_decided",
    model=RepresentationRequest,
    field="decided_by",
    values=("municipality__name", "name", "status", "decided_at"),
    kept="a record of what the town's admins decided; the name goes with the account",
)

"""Registrations in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import Registration
from .services import registrations_release


def _release(user: Any) -> None:
    registrations_release(user=user)


register(
    name="event_registrations",
    model=Registration,
    field="user",
    values=("event__title", "event__starts_at", "people", "note", "status", "created_at"),
    erase=_release,
)

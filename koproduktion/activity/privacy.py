"""Acts in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import Activity
from .services import activities_erase


def _erase(user: Any) -> None:
    activities_erase(user=user)


register(
    name="activity",
    model=Activity,
    field="user",
    values=("kind", "project__title", "neighbourhood__name", "occurred_at"),
    erase=_erase,
)

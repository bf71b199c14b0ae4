"""Follows, the inbox and e-mail settings in the data download and on account deletion
(see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import Follow, Notification, NotificationSettings
from .services import notifications_forget


def _forget(user: Any) -> None:
    notifications_forget(user=user)


register(
    name="follows",
    model=Follow,
    field="user",
    values=("project__title", "idea__title", "created_at"),
    erase=_forget,
)
register(
    name="notifications",
    model=Notification,
    field="user",
    values=("kind", "message", "url", "created_at", "read_at", "emailed_at"),
    erase=_forget,
)
register(
    name="notification_settings",
    model=NotificationSettings,
    field="user",
    values=("email_frequency",),
    erase=_forget,
)

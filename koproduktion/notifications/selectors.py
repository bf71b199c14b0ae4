from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import EmailFrequency, Follow, Kind, Notification, NotificationSettings


def is_following(*, user: Any, project: Any = None, idea: Any = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, project=project, idea=idea).exists()


def inbox(*, user: Any, kind: Kind | None = None) -> QuerySet[Notification]:
    """The person's notifications, newest first; only those of ``kind`` if given."""
    notifications = Notification.objects.filter(user=user)
    if kind is not None:
        notifications = notifications.filter(kind=kind)
    return notifications.order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_frequency(*, user: Any) -> EmailFrequency:
    settings_row = NotificationSettings.objects.filter(user=user).first()
    return (
        EmailFrequency(settings_row.email_frequency) if settings_row else EmailFrequency.IMMEDIATELY
    )

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from koproduktion.core.page_cache import keep, kept

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


# How long the header's count of unread notices stays cached. The person's
# ``notifications_version`` in the key makes every new or read notice show at once; notices
# deleted along with what they were about show after this at the latest.
UNREAD_CACHE_SECONDS = 600


def unread_count(*, user: Any) -> int:
    """The person's unread notices: counted once per ``notifications_version``, then cached."""
    version = getattr(user, "notifications_version", None)
    key = f"unread:{user.pk}:{version}"
    # Keyed by the version: a copy this process kept (``page_cache.kept``) is never older.
    count = kept(key) if version is not None else None
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        if version is not None:
            keep(key, count, UNREAD_CACHE_SECONDS)
    return count


def email_frequency(*, user: Any) -> EmailFrequency:
    settings_row = NotificationSettings.objects.filter(user=user).first()
    return (
        EmailFrequency(settings_row.email_frequency) if settings_row else EmailFrequency.IMMEDIATELY
    )

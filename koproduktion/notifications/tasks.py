"""E-mail for notifications: one mail per notification for "immediately", one digest a day."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from koproduktion.core.links import site_url

from .models import EmailFrequency, Notification, NotificationSettings


def _send(notifications: list[Notification], template: str) -> int:
    """Mail ``notifications`` grouped per person, then mark them e-mailed."""
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_user[notification.user_id].append(notification)
    messages = []
    for items in by_user.values():
        user = items[0].user
        with translation.override(user.language):
            context = {
                "user": user,
                "notifications": items,
                "site_name": settings.SITE_NAME,
                "base_url": site_url(),
            }
            subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
            body = render_to_string("notifications/email/body.txt", context)
        messages.append((subject.strip(), body, None, [user.email]))
    send_mass_mail(messages, fail_silently=False)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )
    return len(messages)


@task()
def send_immediate_emails(*, notification_ids: list[int]) -> int:
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .select_related("user")
        )
        return _send(pending, "immediate") if pending else 0


def send_digests() -> int:
    """Send every daily-digest person what they have not been mailed yet; returns mails sent.

    Meant for a scheduler (``manage.py send_digests`` once a day). People who chose "never" are
    skipped, and their notifications stay in the app only.
    """
    daily = NotificationSettings.objects.filter(email_frequency=EmailFrequency.DAILY).values(
        "user_id"
    )
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(user_id__in=daily, emailed_at__isnull=True)
            .select_related("user")
            .order_by("user_id", "created_at")
        )
        return _send(pending, "digest") if pending else 0

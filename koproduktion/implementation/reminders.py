"""Reminder e-mails the day before a task or shift, sent by ``manage.py send_reminders``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koproduktion.core.links import absolute_url

from .models import Commitment
from .services.common import task_url


def _when(commitment: Commitment) -> str:
    if commitment.shift_id:
        start = timezone.localtime(commitment.shift.starts_at)
        end = timezone.localtime(commitment.shift.ends_at)
        return f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}–{end:%H:%M}"
    return date_format(commitment.task.date, "DATE_FORMAT")


def send_task_reminders(*, today: datetime.date | None = None) -> int:
    """Mail everyone committed to something tomorrow who has not been reminded; returns mails.

    Rows are locked while mailing and marked, so a second run (or a parallel one) sends nothing
    twice. Tomorrow is the local calendar day.
    """
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    with transaction.atomic():
        due = list(
            Commitment.objects.select_for_update(of=("self",))
            # Sign-ups written down on site have no account to remind; the organisers have
            # their contact.
            .filter(cancelled_at__isnull=True, reminded_at__isnull=True, user__isnull=False)
            .filter(
                Q(shift__starts_at__gte=start, shift__starts_at__lt=end)
                | Q(shift__isnull=True, task__date=tomorrow)
            )
            .select_related("user", "task", "shift", "project", "project__municipality")
        )
        messages = []
        for commitment in due:
            task = commitment.task
            task.project = commitment.project
            with translation.override(commitment.user.language):
                subject = _("Erinnerung: morgen „%(title)s“") % {"title": task.title}
                body = "\n".join(
                    [
                        _("Hallo %(name)s,") % {"name": commitment.user.public_name},
                        "",
                        _("morgen ist es so weit – danke, dass Sie mitmachen!"),
                        "",
                        f"{task.title} ({commitment.project.title})",
                        _("Wann: %(when)s") % {"when": _when(commitment)},
                        _("Wo: %(where)s") % {"where": task.address},
                        _("Ansprechperson: %(name)s %(email)s %(phone)s")
                        % {
                            "name": task.contact_name,
                            "email": task.contact_email,
                            "phone": task.contact_phone,
                        },
                        "",
                        _("Falls Sie nicht können, sagen Sie bitte ab:"),
                        absolute_url(task_url(task)),
                        "",
                        settings.SITE_NAME,
                    ]
                )
            messages.append((subject, body, None, [commitment.user.email]))
        send_mass_mail(messages, fail_silently=False)
        Commitment.objects.filter(pk__in=[c.pk for c in due]).update(reminded_at=timezone.now())
    return len(messages)

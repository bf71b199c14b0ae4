"""Renewal reminders before a sponsorship's term ends, sent by ``manage.py send_reminders``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koproduktion.core.links import absolute_url

from .models import Sponsorship, SponsorshipStatus
from .services import object_url

# Time enough to apply for the next term before this one ends.
RENEWAL_NOTICE_DAYS = 30


def send_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """Mail each sponsor whose agreement ends within RENEWAL_NOTICE_DAYS, once per agreement."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Sponsorship.objects.select_for_update(of=("self",))
            .filter(
                status=SponsorshipStatus.APPROVED,
                renewal_reminded_at__isnull=True,
                term_end__gte=today,
                term_end__lte=today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS),
            )
            .select_related("sponsor", "object", "object__municipality")
        )
        messages = []
        for sponsorship in due:
            sponsor = sponsorship.sponsor
            with translation.override(sponsor.language):
                subject = _("Ihre Patenschaft für „%(name)s“ endet bald") % {
                    "name": sponsorship.object.name
                }
                body = "\n".join(
                    [
                        _("Hallo %(name)s,") % {"name": sponsor.public_name},
                        "",
                        _("Ihre Patenschaft für „%(name)s“ endet am %(end)s.")
                        % {
                            "name": sponsorship.object.name,
                            "end": date_format(sponsorship.term_end, "DATE_FORMAT"),
                        },
                        _("Wenn Sie weitermachen möchten, beantragen Sie die Verlängerung hier:"),
                        absolute_url(object_url(sponsorship.object)),
                        "",
                        _("Danke für Ihre Pflege!"),
                        settings.SITE_NAME,
                    ]
                )
            messages.append((subject, body, None, [sponsor.email]))
        send_mass_mail(messages, fail_silently=False)
        Sponsorship.objects.filter(pk__in=[s.pk for s in due]).update(
            renewal_reminded_at=timezone.now()
        )
    return len(messages)

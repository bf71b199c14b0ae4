"""Reports of barriers go to the town by mail, through Django's tasks interface."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_barrier_report(*, report_id: int) -> None:
    """Mail report ``report_id`` to the address it was meant for when it came in.

    ``To`` is the town's address, ``From`` the platform's; the reporter's address, checked as
    an address when the report came in, is ``Reply-To`` so that the town answers them directly.
    The subject names the town and the report's number, nothing typed by the reporter.
    """
    from .models import BarrierReport  # noqa: PLC0415 - the services import this module

    report = BarrierReport.objects.select_related("municipality").get(pk=report_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"report": report, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        subject = render_to_string("accessibility/email/report_subject.txt", context).strip()
        body = render_to_string("accessibility/email/report_body.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[report.recipient],
        reply_to=[report.contact_email] if report.contact_email else None,
    ).send()

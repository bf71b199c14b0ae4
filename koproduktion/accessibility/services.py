"""Writes: the town's admins set the statement; anyone reports a barrier.

A report is kept and mailed to the town's accessibility contact (the statement's address, else
the operator's). Only that address ever receives it, so the form relays nothing to addresses
typed into it: the reporter's address goes into ``Reply-To`` (validated), never ``From`` or
``To``, and no header holds anything else typed (tasks.py).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from koproduktion.accounts.models import User
from koproduktion.core.audit import audited, lookup
from koproduktion.core.models import Municipality
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate

from .models import AccessibilityStatement, BarrierReport, Conformity, Method
from .selectors import feedback_address
from .tasks import send_barrier_report

REFUSED = gettext_lazy("Die Erklärung zur Barrierefreiheit bearbeiten die Admins der Kommune.")


@transaction.atomic
@audited(
    gettext_lazy("Erklärung zur Barrierefreiheit gespeichert"),
    target=lookup(AccessibilityStatement, {"municipality": "municipality"}),
    fields=[
        "conformity",
        "barriers",
        "prepared_on",
        "reviewed_on",
        "method",
        "contact_email",
        "enforcement",
    ],
)
def statement_set(
    *,
    actor: User,
    municipality: Municipality,
    conformity: Conformity,
    barriers: str,
    prepared_on: datetime.date,
    reviewed_on: datetime.date | None,
    method: Method,
    contact_email: str,
    enforcement: str,
) -> AccessibilityStatement:
    """Write the town's statement (the first time, or again)."""
    require("accessibility.can_edit", actor, municipality, str(REFUSED))
    statement = AccessibilityStatement.objects.select_for_update().filter(
        municipality=municipality
    ).first() or AccessibilityStatement(municipality=municipality)
    statement.conformity = conformity
    statement.barriers = barriers.strip()
    statement.prepared_on = prepared_on
    statement.reviewed_on = reviewed_on
    statement.method = method
    statement.contact_email = contact_email.strip()
    statement.enforcement = enforcement.strip()
    if reviewed_on is not None and prepared_on is not None and reviewed_on < prepared_on:
        raise ValidationError(
            {"reviewed_on": gettext_lazy("Überprüft werden kann sie erst nach der Erstellung.")}
        )
    statement.full_clean(validate_unique=False)
    statement.save()
    return statement


def barrier_report_submit(
    *,
    municipality: Municipality,
    page: str,
    description: str,
    contact_name: str = "",
    contact_email: str = "",
    language: str,
    user: User | None,
    ip: str,
) -> BarrierReport:
    """Keep a report and mail it to the town after the commit. Raises RateLimited (counted
    before anything is checked, refused attempts too) and ValidationError by field."""
    check_rate(action="barrier_report", user=user, ip=ip)
    report = BarrierReport(
        municipality=municipality,
        # One line each: whatever was typed stays out of the mail's header block anyway.
        page=" ".join(page.split()),
        description=description.strip(),
        contact_name=" ".join(contact_name.split()),
        contact_email=contact_email.strip(),
        language=language,
        recipient=feedback_address(municipality=municipality),
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        if report.recipient:
            transaction.on_commit(lambda: send_barrier_report.enqueue(report_id=report.pk))
    return report

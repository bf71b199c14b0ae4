"""The statement is written by the town's admins alone, logged; reports are kept and mailed to
the town's contact and nowhere else."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from koproduktion.accessibility.models import AccessibilityStatement, BarrierReport, Conformity
from koproduktion.accessibility.selectors import statement_for
from koproduktion.accessibility.services import barrier_report_submit, statement_set
from koproduktion.core.models import AuditEntry
from koproduktion.core.ratelimit import RateLimited, rate_limits
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role

pytestmark = pytest.mark.django_db
STATEMENT = {
    "conformity": Conformity.PARTIAL,
    "barriers": "Die Protokolle des Rats sind gescannte PDFs.",
    "prepared_on": datetime.date(2026, 11, 2),
    "reviewed_on": None,
    "method": "self",
    "contact_email": "barrierefrei@lindenau.example",
    "enforcement": "Schlichtungsstelle nach § 16 BGG",
}


def report(town, **overrides):
    arguments = {
        "municipality": town,
        "page": "/lindenau/",
        "description": "Der Knopf „Filtern“ ist mit der Tastatur nicht erreichbar.",
        "contact_name": "Erika Beispiel",
        "contact_email": "erika@example.org",
        "language": "de",
        "user": None,
        "ip": "203.0.113.5",
        **overrides,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return barrier_report_submit(**arguments)


def test_a_town_admin_publishes_the_statement_and_the_log_names_the_change(town):
    admin = person_with_role(town, Role.ADMIN)
    statement = statement_set(actor=admin, municipality=town, **STATEMENT)
    assert statement_for(municipality=town) == (statement, True)
    entry = AuditEntry.objects.get(action="accessibility.statement_set")
    assert entry.municipality == town
    statement_set(actor=admin, municipality=town, **{**STATEMENT, "conformity": "full"})
    assert AccessibilityStatement.objects.get().conformity == "full"
    assert AuditEntry.objects.filter(action="accessibility.statement_set").count() == 2


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.STAFF, Role.MODERATOR, Role.COORDINATION])
def test_nobody_else_edits_the_statement(town, role):
    with pytest.raises(PermissionDenied):
        statement_set(actor=person_with_role(town, role), municipality=town, **STATEMENT)
    other_admin = person_with_role(MunicipalityFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        statement_set(actor=other_admin, municipality=town, **STATEMENT)
    assert not AccessibilityStatement.objects.exists()


def test_a_review_before_the_statement_or_a_bad_address_is_refused_by_field(town):
    admin = person_with_role(town, Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        statement_set(
            actor=admin,
            municipality=town,
            **{**STATEMENT, "reviewed_on": datetime.date(2026, 1, 1)},
        )
    assert "reviewed_on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        statement_set(actor=admin, municipality=town, **{**STATEMENT, "contact_email": "x"})
    assert "contact_email" in refused.value.error_dict


def test_without_a_statement_the_town_shows_the_platforms_template(town):
    statement, customised = statement_for(municipality=town)
    assert not customised
    assert statement.contact_email == "betrieb@example.org"
    assert "Schlichtungsstelle" in statement.enforcement
    assert "PDF" in statement.barriers


def test_a_report_goes_to_the_towns_contact_with_the_reporter_only_as_reply_to(town):
    admin = person_with_role(town, Role.ADMIN)
    statement_set(actor=admin, municipality=town, **STATEMENT)
    stored = report(town)
    assert BarrierReport.objects.get() == stored
    [message] = mail.outbox
    assert message.to == ["barrierefrei@lindenau.example"]
    assert message.from_email == "Koproduktion <noreply@localhost>"
    assert message.reply_to == ["erika@example.org"]
    assert message.cc == message.bcc == []
    assert message.subject == f"Lindenau: Barriere gemeldet (Nr. {stored.pk})"
    assert "Der Knopf „Filtern“ ist mit der Tastatur nicht erreichbar." in message.body
    assert "Seite: /lindenau/" in message.body
    assert "Erika Beispiel, erika@example.org" in message.body


def test_a_report_without_contact_has_no_reply_to(town):
    report(town, contact_name="", contact_email="")
    [message] = mail.outbox
    assert message.to == ["betrieb@example.org"]
    assert message.reply_to == []
    assert "keine Angabe" in message.body


@pytest.mark.parametrize(
    "contact_email",
    [
        "erika@example.org\nBcc: viele@example.org",
        "erika@example.org, andere@example.org",
        "Erika <erika@example.org>",
    ],
)
def test_an_address_that_would_add_recipients_or_headers_is_refused(town, contact_email):
    with pytest.raises(ValidationError) as refused:
        report(town, contact_email=contact_email)
    assert "contact_email" in refused.value.error_dict
    assert mail.outbox == []
    assert not BarrierReport.objects.exists()


def test_what_is_typed_never_reaches_a_header(town):
    report(
        town, page="/x/\r\nBcc: viele@example.org", contact_name="Erika\r\nTo: fremde@example.net"
    )
    [message] = mail.outbox
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "viele@example.org" not in headers
    assert "fremde@example.net" not in headers


@pytest.mark.parametrize(
    ("field", "size"), [("page", 301), ("description", 3001), ("contact_name", 101)]
)
def test_too_long_is_refused_by_field(town, field, size):
    with pytest.raises(ValidationError) as refused:
        report(town, **{field: "x" * size})
    assert field in refused.value.error_dict


def test_reports_are_limited_per_address_and_refused_ones_count(town):
    per_account, per_address = rate_limits("barrier_report")
    for _ in range(per_address.limit):
        report(town)
    with pytest.raises(RateLimited):
        report(town)
    assert BarrierReport.objects.count() == len(mail.outbox) == per_address.limit
    report(town, ip="198.51.100.7")  # another address still gets through
    resident = person_with_role(town, Role.RESIDENT)
    for number in range(per_account.limit):
        report(town, user=resident, ip=f"192.0.2.{number}")
    with pytest.raises(RateLimited):
        report(town, user=resident, ip="192.0.2.200")

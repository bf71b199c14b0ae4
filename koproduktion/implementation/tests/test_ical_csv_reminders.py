from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MembershipFactory, person_with_role
from koproduktion.events import services as events
from koproduktion.events.tests.factories import EventFactory
from koproduktion.implementation import services
from koproduktion.implementation.ical import escape, fold
from koproduktion.implementation.tests.factories import (
    ShiftFactory,
    TaskFactory,
    in_days,
    resident_of,
    staff_of,
)
from koproduktion.sponsorships import services as sponsorships
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory

pytestmark = pytest.mark.django_db


def _url(name, project, *args):
    return reverse(name, args=[project.municipality.slug, project.slug, *args])


def test_escaping_and_folding_follow_rfc_5545():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Ä" * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_public_feed_lists_shifts_in_utc_with_crlf(client):
    shift = ShiftFactory(task__title="Streichen, Teil 1; Flur")
    TaskFactory(project=shift.task.project, is_published=False, title="Entwurf")
    response = client.get(_url("implementation:calendar", shift.task.project))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "SUMMARY:Streichen\\, Teil 1\\; Flur" in body
    start = shift.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in body
    assert "Entwurf" not in body


def test_feed_links_lead_to_the_address_the_feed_was_fetched_from(client, settings):
    """A site served on another port than SITE_URL's links to that port, not to 8000."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    shift = ShiftFactory()
    project = shift.task.project
    body = client.get(
        _url("implementation:calendar", project), HTTP_HOST="127.0.0.1:8123"
    ).content.decode()
    task_path = reverse(
        "implementation:task", args=[project.municipality.slug, project.slug, shift.task.pk]
    )
    assert f"URL:http://127.0.0.1:8123{task_path}" in body.replace("\r\n ", "")
    assert ":8000/" not in body


def test_private_feed_shows_only_own_commitments_and_can_be_revoked(client):
    task = TaskFactory(title="Kuchen backen")
    other_task = TaskFactory(project=task.project, title="Fremde Aufgabe")
    person = resident_of(task.project)
    services.task_commit(actor=person, task=task)
    services.task_commit(actor=resident_of(task.project), task=other_task)
    token = services.calendar_token_create(user=person)
    body = client.get(reverse("commitments:feed", args=[token])).content.decode()
    assert "SUMMARY:Kuchen backen" in body
    assert f"DTSTART;VALUE=DATE:{task.date:%Y%m%d}" in body
    assert "Fremde Aufgabe" not in body
    services.calendar_token_revoke(user=person)
    assert client.get(reverse("commitments:feed", args=[token])).status_code == 404


def test_csv_export_for_staff_only_with_consenting_contacts(client):
    shift = ShiftFactory(capacity=5)
    task, project = shift.task, shift.task.project
    # An address may start with = (RFC 5322), a phone number with +: each would start a formula
    # in a spreadsheet.
    sharing = resident_of(project, email="=teilt@example.org", public_name="=Teilt")
    private = resident_of(project, email="privat@example.org")
    services.task_commit(
        actor=sharing, task=task, shift=shift, share_contact=True, phone="+49 151 1"
    )
    services.task_commit(actor=private, task=task, shift=shift)
    url = _url("implementation:volunteers_csv", project, task.pk)
    client.force_login(private)
    assert client.get(url).status_code == 403
    client.force_login(staff_of(project))
    response = client.get(url)
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert {"'=teilt@example.org", "'+49 151 1", "'=Teilt"} <= cells
    assert not {"=teilt@example.org", "+49 151 1", "=Teilt"} & cells
    assert "privat@example.org" not in text


def test_reminders_the_day_before_once(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    tomorrow_shift = ShiftFactory(starts_at=in_days(1, 10), ends_at=in_days(1, 12))
    later = ShiftFactory(task=tomorrow_shift.task, starts_at=in_days(3, 10), ends_at=in_days(3, 12))
    day_task = TaskFactory(date=timezone.localdate() + datetime.timedelta(days=1))
    person = resident_of(tomorrow_shift.task.project)
    services.task_commit(actor=person, task=tomorrow_shift.task, shift=tomorrow_shift)
    services.task_commit(actor=resident_of(later.task.project), task=later.task, shift=later)
    cancelled = services.task_commit(actor=resident_of(day_task.project), task=day_task)
    services.commitment_cancel(actor=cancelled.user, commitment=cancelled)
    call_command("send_reminders")
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert "morgen" in mail.outbox[0].subject
    assert "http://127.0.0.1:8123/" in mail.outbox[0].body
    call_command("send_reminders")
    assert len(mail.outbox) == 1


def test_private_feed_holds_what_the_organisation_committed_to_with_the_sponsorship_terms(client):
    """A representative's feed: the task the association took on, the workshop it registered
    for, and its sponsorship's agreed term as all-day dates (the end day included); a second
    representative of the association sees the same, someone outside it sees none of it."""
    task = TaskFactory(title="Beet anlegen")
    project = task.project
    town = project.municipality
    first = MembershipFactory(municipality=town, role=Role.ORGANISATION)
    club = first.organisation
    second = MembershipFactory(municipality=town, role=Role.ORGANISATION, organisation=club)
    outsider = resident_of(project)
    services.task_commit(actor=first.user, task=task, organisation=club, people=3)
    event = EventFactory(project=project, title="Zukunftswerkstatt", capacity=10)
    events.event_register(actor=first.user, event=event, organisation=club, people=4)
    tree = SponsorshipObjectFactory(municipality=town, name="Linde am Markt")
    applied = sponsorships.sponsorship_apply(actor=first.user, obj=tree, organisation=club)
    start = timezone.localdate()
    sponsorships.sponsorship_approve(
        actor=person_with_role(town, Role.STAFF),
        sponsorship=applied,
        term_start=start,
        term_end=start + datetime.timedelta(days=364),
        duties="Im Sommer wöchentlich gießen.",
    )

    def feed(user):
        token = services.calendar_token_create(user=user)
        return client.get(reverse("commitments:feed", args=[token])).content.decode()

    for representative in (first.user, second.user):
        body = feed(representative).replace("\r\n ", "")
        assert "SUMMARY:Beet anlegen" in body
        assert "SUMMARY:Zukunftswerkstatt" in body
        assert "SUMMARY:Patenschaft: Linde am Markt" in body
        assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in body
        assert f"DTEND;VALUE=DATE:{start + datetime.timedelta(days=365):%Y%m%d}" in body
        assert "DESCRIPTION:Im Sommer wöchentlich gießen." in body
    outside = feed(outsider).replace("\r\n ", "")
    assert "BEGIN:VCALENDAR" in outside
    for entry in ("Beet anlegen", "Zukunftswerkstatt", "Linde am Markt"):
        assert entry not in outside

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory
from koproduktion.notifications.models import EmailFrequency, Kind, Notification
from koproduktion.notifications.services import notification_settings_set, notify

pytestmark = pytest.mark.django_db


def test_daily_digest_collects_everything_once(django_capture_on_commit_callbacks):
    town = MunicipalityFactory()
    daily, never, immediate = UserFactory(), UserFactory(), UserFactory()
    notification_settings_set(user=daily, email_frequency=EmailFrequency.DAILY)
    notification_settings_set(user=never, email_frequency=EmailFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            notify(
                user_ids=[daily.pk, never.pk, immediate.pk],
                municipality_id=town.pk,
                kind=Kind.REPLY,
                message=f"Antwort Nummer {n}",
                url="/musterstadt/",
            )
    assert {m.to[0] for m in mail.outbox} == {immediate.email}
    mail.outbox.clear()

    out = StringIO()
    call_command("send_digests", stdout=out)
    (digest,) = mail.outbox
    assert digest.to == [daily.email]
    assert "tägliche Zusammenfassung" in digest.subject
    for n in range(3):
        assert f"- Antwort: Antwort Nummer {n}" in digest.body
    assert "1 Zusammenfassung" in out.getvalue()

    mail.outbox.clear()
    call_command("send_digests", stdout=StringIO())
    assert mail.outbox == []
    assert Notification.objects.filter(user=never, emailed_at__isnull=True).count() == 3


def test_digest_lines_name_the_kind_in_the_readers_language():
    town = MunicipalityFactory()
    german, english = UserFactory(language="de"), UserFactory(language="en")
    for person in (german, english):
        notification_settings_set(user=person, email_frequency=EmailFrequency.DAILY)
    for kind, message in (
        (Kind.IMPLEMENTATION, "Neuer Fortschrittsbericht in „Quartierstreff“"),
        (Kind.TASK, "Die Aufgabe „Beete anlegen“ fällt aus."),
        (Kind.SPONSORSHIP, "Ihre Patenschaft für „Linde am Markt“ ist vereinbart."),
    ):
        notify(
            user_ids=[german.pk, english.pk],
            municipality_id=town.pk,
            kind=kind,
            message=message,
            url="/musterstadt/",
        )
    call_command("send_digests", stdout=StringIO())
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "- Umsetzung: Neuer Fortschrittsbericht" in bodies[german.email]
    assert "- Aufgabe: Die Aufgabe „Beete anlegen“" in bodies[german.email]
    assert "- Patenschaft: Ihre Patenschaft" in bodies[german.email]
    assert "- Implementation: Neuer Fortschrittsbericht" in bodies[english.email]
    assert "- Task: Die Aufgabe" in bodies[english.email]
    assert "- Sponsorship: Ihre Patenschaft" in bodies[english.email]


def test_each_person_reads_a_notification_in_their_own_language():
    from django.utils.translation import gettext as _  # noqa: PLC0415

    town = MunicipalityFactory()
    german, english = UserFactory(language="de"), UserFactory(language="en")
    notify(
        user_ids=[german.pk, english.pk],
        municipality_id=town.pk,
        kind=Kind.REPLY,
        message=lambda: _("Benachrichtigungen"),
        url="/",
    )
    texts = dict(Notification.objects.values_list("user_id", "message"))
    assert texts == {german.pk: "Benachrichtigungen", english.pk: "Notifications"}


def test_plain_text_mails_show_what_people_wrote_not_html_escapes(
    django_capture_on_commit_callbacks,
):
    town = MunicipalityFactory()
    person = UserFactory(public_name="Jo O'Brien")
    message = 'Antwort auf „Bänke & Tische“: "gern" <mehr>'
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user_ids=[person.pk],
            municipality_id=town.pk,
            kind=Kind.REPLY,
            message=message,
            url="/musterstadt/?seite=2&art=reply",
        )
    (sent,) = mail.outbox
    assert sent.subject == message
    assert f"- Antwort: {message}" in sent.body
    assert "Hallo Jo O'Brien," in sent.body
    assert "/musterstadt/?seite=2&art=reply" in sent.body
    assert "&amp;" not in sent.body
    assert "&#x27;" not in sent.body


def test_links_in_mails_lead_to_the_configured_site(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://beteiligung.example:8443"
    town = MunicipalityFactory()
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user_ids=[person.pk],
            municipality_id=town.pk,
            kind=Kind.REPLY,
            message="Antwort",
            url="/musterstadt/",
        )
    (sent,) = mail.outbox
    assert "https://beteiligung.example:8443/musterstadt/" in sent.body
    assert "https://beteiligung.example:8443" + reverse("notifications:settings") in sent.body
    assert ":8000" not in sent.body

"""The statement in public, its editing page for the town's admins, the report form and the help
page; every page links the statement and the help from its footer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from koproduktion.accessibility.models import AccessibilityStatement, BarrierReport
from koproduktion.core.ratelimit import rate_limits
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role

pytestmark = pytest.mark.django_db
REPORT = {
    "page": "/lindenau/",
    "description": "Die Karte lässt sich nicht mit der Tastatur verschieben.",
    "contact_name": "",
    "contact_email": "erika@example.org",
}
EDIT = {
    "conformity": "partial",
    "barriers": "Gescannte Ratsprotokolle.\n\nVideos ohne Untertitel.",
    "prepared_on": "2026-11-02",
    "reviewed_on": "2026-12-01",
    "method": "external",
    "contact_email": "barrierefrei@lindenau.example",
    "enforcement": "Ombudsstelle des Landes\nPostfach 1\n12345 Landeshauptstadt",
}


def url(name, town, *args):
    return reverse(f"accessibility:{name}", args=[town.slug, *args])


def post(client, address, data, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(address, data, **extra)


def test_every_page_links_the_statement_and_the_help_from_its_footer(client, town):
    town_page = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert f'href="{url("statement", town)}"' in town_page
    home = client.get("/").content.decode()
    assert f'href="{reverse("accessibility:index")}"' in home
    assert f'href="{reverse("accessibility:help")}"' in home
    index = client.get(reverse("accessibility:index")).content.decode()
    assert f'href="{url("statement", town)}"' in index


def test_the_statement_follows_the_bitv_template_and_says_when_it_is_the_platforms(client, town):
    page = client.get(url("statement", town)).content.decode()
    for heading in (
        "Erklärung zur Barrierefreiheit",
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontaktangaben",
        "Schlichtungsverfahren",
    ):
        assert heading in page
    assert "hat diese Erklärung noch nicht angepasst" in page
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in page
    assert f'href="{url("report", town)}"' in page
    assert "mailto:betrieb@example.org" in page
    assert "bearbeiten" not in page.split("<footer")[0].lower().split("<main")[1]


def test_only_the_towns_admins_edit_and_their_statement_is_what_people_read(client, town):
    resident = person_with_role(town, Role.RESIDENT)
    client.force_login(resident)
    assert client.get(url("edit", town)).status_code == 403
    assert client.post(url("edit", town), EDIT).status_code == 403
    client.force_login(person_with_role(MunicipalityFactory(), Role.ADMIN))
    assert client.post(url("edit", town), EDIT).status_code == 403
    assert not AccessibilityStatement.objects.exists()

    client.force_login(person_with_role(town, Role.ADMIN))
    form = client.get(url("edit", town)).content.decode()
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in form  # the template
    response = client.post(url("edit", town), EDIT)
    assert response.status_code == 302
    client.logout()
    page = client.get(url("statement", town)).content.decode()
    assert "noch nicht angepasst" not in page
    assert "teilweise vereinbar" in page
    assert "<p>Gescannte Ratsprotokolle.</p>" in page
    assert "Diese Erklärung wurde am 2. November 2026 erstellt." in page
    assert "Prüfung durch Dritte" in page
    assert "Zuletzt überprüft wurde sie am 1. Dezember 2026." in page
    assert "Ombudsstelle des Landes<br>Postfach 1" in page
    assert "mailto:barrierefrei@lindenau.example" in page


def test_a_wrong_edit_shows_the_form_again_with_what_was_typed(client, town):
    client.force_login(person_with_role(town, Role.ADMIN))
    response = client.post(
        url("edit", town), {**EDIT, "contact_email": "keine adresse", "reviewed_on": "2026-01-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Gescannte Ratsprotokolle." in page
    assert 'value="keine adresse"' in page
    assert "id_contact_email_errors" in page
    assert not AccessibilityStatement.objects.exists()


def test_a_report_is_sent_and_confirmed_and_the_admins_see_it(client, town):
    form = client.get(url("report", town), HTTP_REFERER="http://testserver/lindenau/?seite=2")
    assert 'value="/lindenau/?seite=2"' in form.content.decode()
    response = post(client, url("report", town), REPORT)
    assert response.status_code == 302
    assert response["Location"] == url("report_sent", town)
    assert "Danke für Ihre Meldung" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["betrieb@example.org"]
    assert message.reply_to == ["erika@example.org"]
    client.force_login(person_with_role(town, Role.ADMIN))
    edit = client.get(url("edit", town)).content.decode()
    assert "Die Karte lässt sich nicht mit der Tastatur verschieben." in edit


def test_a_referer_of_another_site_is_not_copied_into_the_form(client, town):
    form = client.get(url("report", town), HTTP_REFERER="https://evil.example/phish")
    assert "evil.example" not in form.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**REPORT, "description": ""}, "description"),
        ({**REPORT, "page": ""}, "page"),
        ({**REPORT, "description": "x" * 3001}, "description"),
        ({**REPORT, "contact_email": "erika@example.org\nBcc: x@example.net"}, "contact_email"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_sent(client, town, data, field):
    response = post(client, url("report", town), data)
    assert response.status_code == 400
    assert f"id_{field}_errors" in response.content.decode()
    assert mail.outbox == []
    assert not BarrierReport.objects.exists()


def test_over_the_limit_the_form_keeps_what_was_typed_and_says_how_long_to_wait(client, town):
    _per_account, per_address = rate_limits("barrier_report")
    for _ in range(per_address.limit):
        assert post(client, url("report", town), REPORT).status_code == 302
    response = post(client, url("report", town), {**REPORT, "description": "Noch eine Barriere."})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Bitte warten Sie" in page
    assert "Noch eine Barriere." in page
    assert BarrierReport.objects.count() == len(mail.outbox) == per_address.limit


def test_the_help_page_explains_keyboard_screen_reader_maps_and_no_javascript(client):
    page = client.get(reverse("accessibility:help")).content.decode()
    for topic in ("Zum Inhalt springen", "Bereiche und Überschriften", "Formulare", "Karten"):
        assert topic in page
    assert "Ohne JavaScript" in page


def test_pages_of_a_hidden_town_are_not_found(client):
    hidden = MunicipalityFactory(is_public=False)
    for name in ("statement", "report", "report_sent"):
        assert client.get(url(name, hidden)).status_code == 404

"""The inbox names the kind of each notice and filters by it, without JavaScript."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify

pytestmark = pytest.mark.django_db

INBOX = "/konto/benachrichtigungen/"


class _Inbox(HTMLParser):
    """Collects the text of each inbox entry, the inbox's links and the kind filter's options."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[str] = []
        self.links: list[str] = []
        self.options: dict[str, str] = {}
        self.selected: str | None = None
        self._in_inbox = False
        self._in_entry = False
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "ol" and attributes.get("class") == "inbox":
            self._in_inbox = True
        elif tag == "li" and self._in_inbox:
            self._in_entry = True
            self.entries.append("")
        elif tag == "a" and attributes.get("href", "").startswith("?"):
            self.links.append(attributes["href"])
        elif tag == "option":
            self._option = attributes.get("value") or ""
            self.options[self._option] = ""
            if "selected" in attributes:
                self.selected = self._option

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            self._in_inbox = False
        elif tag == "li" and self._in_entry:
            self._in_entry = False
            self.entries[-1] = " ".join(self.entries[-1].split())
        elif tag == "option":
            self._option = None

    def handle_data(self, data: str) -> None:
        if self._in_entry:
            self.entries[-1] += data
        if self._option is not None:
            self.options[self._option] += data.strip()


def _inbox(client, query: str = "") -> tuple[_Inbox, str]:
    response = client.get(INBOX + query)
    assert response.status_code == 200
    html = response.content.decode()
    parsed = _Inbox()
    parsed.feed(html)
    return parsed, html


@pytest.fixture
def person(client):
    person = UserFactory()
    client.force_login(person)
    return person


def _tell(person, kind: Kind, message: str, times: int = 1) -> None:
    town = MunicipalityFactory()
    for _ in range(times):
        notify(user_ids=[person.pk], municipality_id=town.pk, kind=kind, message=message, url="/")


def test_each_entry_names_its_kind(client, person):
    _tell(person, Kind.IMPLEMENTATION, "Meilenstein erreicht in „Quartierstreff“: Umbau")
    _tell(person, Kind.SPONSORSHIP, "Ihre Patenschaft für „Linde am Markt“ ist vereinbart.")
    _tell(person, Kind.STATUS_CHANGE, "„Mehr Bänke“ ist jetzt: angenommen")

    inbox, _ = _inbox(client)

    # Newest first; each entry ends with its date and time.
    expected = [
        "neu Art: Neuer Status „Mehr Bänke“ ist jetzt: angenommen",
        "neu Art: Patenschaft Ihre Patenschaft für „Linde am Markt“ ist vereinbart.",
        "neu Art: Umsetzung Meilenstein erreicht in „Quartierstreff“: Umbau",
    ]
    assert len(inbox.entries) == len(expected)
    for entry, text in zip(inbox.entries, expected, strict=True):
        assert entry.startswith(text), entry


def test_english_readers_see_the_kind_in_english(client, person, settings):
    _tell(person, Kind.SPONSORSHIP, "Your sponsorship is agreed.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    inbox, _ = _inbox(client)

    (entry,) = inbox.entries
    assert "Sponsorship Your sponsorship is agreed." in entry
    assert inbox.options["sponsorship"] == "Sponsorship"


def test_the_inbox_filters_by_kind(client, person):
    _tell(person, Kind.IMPLEMENTATION, "Neuer Fortschrittsbericht in „Quartierstreff“")
    _tell(person, Kind.TASK, "Die Aufgabe „Beete anlegen“ in „Quartierstreff“ fällt aus.")

    inbox, _ = _inbox(client, "?art=task")

    assert inbox.selected == "task"
    assert inbox.options["task"] == "Aufgabe"
    assert inbox.options[""] == "alle"
    (entry,) = inbox.entries
    assert "Aufgabe Die Aufgabe „Beete anlegen“" in entry

    inbox, html = _inbox(client, "?art=sponsorship")
    assert inbox.entries == []
    assert "Keine Benachrichtigungen der Art „Patenschaft“." in html

    inbox, _ = _inbox(client, "?art=")
    assert len(inbox.entries) == 2


def test_marking_read_under_a_filter_marks_only_that_kind(client, person):
    _tell(person, Kind.IMPLEMENTATION, "Neuer Fortschrittsbericht in „Quartierstreff“")
    _tell(person, Kind.TASK, "Die Aufgabe „Beete anlegen“ in „Quartierstreff“ fällt aus.")
    _inbox_page, html = _inbox(client, "?art=task")
    assert "Alle der Art „Aufgabe“ als gelesen markieren" in html
    response = client.post(reverse("notifications:mark_read"), {"art": "task"}, follow=True)
    assert response.redirect_chain[-1][0] == INBOX + "?art=task"
    assert "Alle Benachrichtigungen der Art „Aufgabe“ sind als gelesen markiert." in (
        response.content.decode()
    )
    unread = {n.kind for n in person.notifications.filter(read_at__isnull=True)}
    assert unread == {Kind.IMPLEMENTATION}
    client.post(reverse("notifications:mark_read"))
    assert not person.notifications.filter(read_at__isnull=True).exists()


def test_a_filter_form_with_label_and_button_works_without_javascript(client, person):
    _, html = _inbox(client)
    assert '<form class="filters" method="get"' in html
    assert '<label for="id_art">Art der Benachrichtigung</label>' in html
    assert '<select name="art" id="id_art">' in html
    assert '<button type="submit">Anzeigen</button>' in html


@pytest.mark.parametrize("value", ["unbekannt", "STATUS_CHANGE", "<script>", "reply'--"])
def test_an_unknown_kind_shows_everything_and_says_so(client, person, value):
    _tell(person, Kind.REPLY, "Antwort auf Ihren Kommentar")
    _tell(person, Kind.DECISION, "Beschluss zu „Mehr Bänke“")

    inbox, html = _inbox(client, "?" + urlencode({"art": value}))

    assert len(inbox.entries) == 2
    assert (
        "Diese Art von Benachrichtigung gibt es nicht. Sie sehen alle Benachrichtigungen." in html
    )
    assert inbox.options[inbox.selected] == "alle"  # not the unknown value


def test_pages_keep_the_filter(client, person):
    _tell(person, Kind.IMPLEMENTATION, "Fortschritt", times=31)
    _tell(person, Kind.SPONSORSHIP, "Patenschaft vereinbart", times=3)

    first, _ = _inbox(client, "?art=implementation")
    assert len(first.entries) == 30
    (next_page,) = first.links
    assert "art=implementation" in next_page
    assert "seite=2" in next_page

    second, _ = _inbox(client, next_page)
    (entry,) = second.entries
    assert "Umsetzung Fortschritt" in entry
    assert second.selected == "implementation"


def test_the_inbox_costs_the_same_for_few_and_many_notices(client, person):
    counts = []
    for kind, times in ((Kind.REPLY, 2), (Kind.TASK, 40)):
        _tell(person, kind, "Nachricht", times=times)
        for query in ("", f"?art={kind}"):
            # Each view as the first of the person's requests: nothing counted before is kept.
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                _inbox(client, query)
            counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_the_inbox_is_for_signed_in_people_only(client):
    response = client.get(reverse("notifications:inbox") + "?art=task")
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def _badge(html: str) -> str:
    """The header's count of unread notices, '' when there is none."""
    marker = '<span class="badge">'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_the_header_counts_a_new_notice_at_once_and_none_once_read(client, person):
    """The count is kept between pages, but never shows an old number: a new notice shows on
    the next page, and once they are marked read, none."""
    assert _badge(client.get("/impressum/").content.decode()) == ""
    _tell(person, Kind.REPLY, "Antwort auf Ihren Kommentar", times=2)
    assert _badge(client.get("/impressum/").content.decode()) == "2"
    _tell(person, Kind.REPLY, "Noch eine Antwort")
    assert _badge(client.get("/impressum/").content.decode()) == "3"
    _parsed, html = _inbox(client)
    assert _badge(html) == "3"
    response = client.post(reverse("notifications:mark_read"), follow=True)
    assert "als gelesen markiert" in response.content.decode()
    assert _badge(response.content.decode()) == ""
    assert _badge(client.get("/impressum/").content.decode()) == ""

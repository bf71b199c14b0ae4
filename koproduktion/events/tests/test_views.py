"""The pages: list with filters, event page with registration, staff forms, iCal, poster, API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from koproduktion.events import services
from koproduktion.events.models import Event, Registration, RegistrationStatus
from koproduktion.ideas.models import Idea
from koproduktion.implementation.services import calendar_token_create
from koproduktion.projects.tests.factories import staff_of

from .factories import EventFactory, in_days, resident_of

pytestmark = pytest.mark.django_db


def _url(event, name="detail"):
    return reverse(f"events:{name}", args=[event.municipality.slug, event.pk])


def _form(event, **changes):
    local = timezone.localtime
    data = {
        "title": event.title,
        "kind": event.kind,
        "starts_at": f"{local(event.starts_at):%Y-%m-%dT%H:%M}",
        "ends_at": f"{local(event.ends_at):%Y-%m-%dT%H:%M}",
        "venue": event.venue,
        "address": event.address,
        "capacity": event.capacity or "",
        "project": event.project_id or "",
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_list_shows_coming_before_past_and_names_an_unknown_filter(client):
    coming = EventFactory(title="Kommende Werkstatt")
    EventFactory(
        project=coming.project,
        title="Vergangene Werkstatt",
        starts_at=in_days(-5),
        ends_at=in_days(-5) + datetime.timedelta(hours=2),
    )
    url = reverse("events:list", args=[coming.municipality.slug])
    page = client.get(url).content.decode()
    assert page.index("Kommende Werkstatt") < page.index("Vergangene Werkstatt")
    response = client.get(url, {"quartier": "gibt-es-nicht", "art": "zirkus"})
    assert response.status_code == 200
    assert "Einen Filter gibt es so nicht" in response.content.decode()


def test_drafts_stay_with_the_staff(client):
    draft = EventFactory(is_published=False, title="Geheime Planung")
    assert client.get(_url(draft)).status_code == 404
    client.force_login(staff_of(draft.project))
    assert client.get(_url(draft)).status_code == 200


def test_register_on_the_page_and_the_third_waits(client):
    event = EventFactory(capacity=2)
    for _ in range(2):
        services.event_register(actor=resident_of(event), event=event)
    third = resident_of(event)
    client.force_login(third)
    response = client.post(_url(event), {"people": "1", "note": "Rollstuhlplatz"}, follow=True)
    page = response.content.decode()
    assert "Warteliste" in page
    assert "an Platz 1" in page
    assert Registration.objects.get(user=third).status == RegistrationStatus.WAITING


def test_registration_after_the_deadline_says_so_at_the_field_and_keeps_the_input(client):
    event = EventFactory(registration_until=in_days(-1, 9))
    person = resident_of(event)
    client.force_login(person)
    response = client.post(_url(event), {"people": "3", "note": "Mit zwei Kindern"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Anmeldung ist geschlossen" in page
    assert "Mit zwei Kindern" in page
    assert not Registration.objects.exists()


def test_a_party_larger_than_the_event_is_refused_at_the_field(client):
    event = EventFactory(capacity=2)
    client.force_login(resident_of(event))
    response = client.post(_url(event), {"people": "3", "note": "Familie"})
    assert response.status_code == 400
    assert "so viele Personen passen nicht" in response.content.decode()
    assert not Registration.objects.exists()


def test_staff_form_refuses_dates_out_of_order_and_capacity_below_registrations(client):
    event = EventFactory(capacity=3)
    for _ in range(2):
        services.event_register(actor=resident_of(event), event=event)
    client.force_login(staff_of(event.project))
    start = timezone.localtime(event.starts_at)
    response = client.post(
        _url(event, "edit"),
        _form(
            event,
            title="Neuer Titel",
            ends_at=f"{start - datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        ),
    )
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen" in response.content.decode()
    assert "Neuer Titel" in response.content.decode()
    response = client.post(_url(event, "edit"), _form(event, capacity="1"))
    assert response.status_code == 400
    assert "Es sind schon 2 Personen angemeldet" in response.content.decode()
    assert Event.objects.get(pk=event.pk).capacity == 3


def test_staff_create_an_event_for_their_project(client):
    event = EventFactory()
    client.force_login(staff_of(event.project))
    data = _form(event, title="Werkstatt am Hafen", capacity="20", step_free="on")
    response = client.post(reverse("events:create", args=[event.municipality.slug]), data)
    assert response.status_code == 302
    created = Event.objects.get(title="Werkstatt am Hafen")
    assert created.step_free
    assert created.project == event.project


def test_residents_cannot_reach_the_staff_pages(client):
    event = EventFactory()
    client.force_login(resident_of(event))
    for name in ("edit", "cancel", "registrations", "registrations_csv", "minutes", "record_idea"):
        assert client.get(_url(event, name)).status_code == 403, name


def test_registration_list_and_csv_name_people_for_staff_only(client):
    event = EventFactory()
    person = resident_of(event, public_name="Anna vom Hafen")
    services.event_register(actor=person, event=event, note="Hörschleife")
    client.force_login(staff_of(event.project))
    assert "Anna vom Hafen" in client.get(_url(event, "registrations")).content.decode()
    csv = client.get(_url(event, "registrations_csv")).content.decode()
    assert "Anna vom Hafen" in csv
    assert person.email not in csv
    client.logout()
    assert "Anna vom Hafen" not in client.get(_url(event)).content.decode()


def test_ical_is_a_valid_calendar_with_the_event(client):
    event = EventFactory(title="Werkstatt; mit Komma, und mehr")
    response = client.get(_url(event, "ical"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Werkstatt\\; mit Komma\\, und mehr" in body
    assert f"UID:event-{event.pk}@" in body
    assert "DTSTART:" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_poster_holds_a_qr_code_and_the_written_address(client):
    event = EventFactory(title="Werkstatt Marktplatz")
    page = client.get(_url(event, "poster")).content.decode()
    assert "<svg" in page
    assert 'class="qr-code"' in page
    assert "http://testserver" + _url(event) in page
    project = event.project
    url = reverse("project_poster", args=[project.municipality.slug, project.slug])
    page = client.get(url).content.decode()
    assert "<svg" in page
    assert "Werkstatt Marktplatz" in page


def test_staff_record_an_idea_on_site_and_the_idea_names_the_event(client):
    event = EventFactory(starts_at=in_days(-1), ends_at=in_days(-1) + datetime.timedelta(hours=2))
    client.force_login(staff_of(event.project))
    response = client.post(
        _url(event, "record_idea"),
        {
            "title": "Mehr Bänke",
            "text": "Am Ufer fehlen Bänke zum Ausruhen.",
            "contributor_name": "",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Mehr Bänke")
    assert idea.source_event == event
    idea_page = client.get(
        reverse("ideas:detail", args=[event.municipality.slug, event.project.slug, idea.pk])
    ).content.decode()
    assert "aufgenommen bei:" in idea_page
    assert event.title in idea_page
    response = client.post(_url(event, "minutes"), {"minutes": "Gute Runde.", "ideas": [idea.pk]})
    assert response.status_code == 302
    page = client.get(_url(event)).content.decode()
    assert "Gute Runde." in page
    assert "vor Ort aufgenommen" in page


def test_the_personal_feed_holds_event_registrations(client):
    event = EventFactory(title="Spaziergang Nordstadt")
    person = resident_of(event)
    services.event_register(actor=person, event=event)
    token = calendar_token_create(user=person)
    body = client.get(reverse("commitments:feed", args=[token])).content.decode()
    assert "SUMMARY:Spaziergang Nordstadt" in body
    client.force_login(person)
    assert "Spaziergang Nordstadt" in client.get(reverse("commitments:mine")).content.decode()


def test_api_lists_and_shows_public_events_and_refuses_bad_input(client):
    event = EventFactory(title="Offene Werkstatt")
    EventFactory(project=event.project, is_published=False, title="Entwurf")
    slug = event.municipality.slug
    listed = client.get(f"/api/v1/municipalities/{slug}/events").json()
    assert [item["title"] for item in listed["items"]] == ["Offene Werkstatt"]
    detail = client.get(f"/api/v1/municipalities/{slug}/events/{event.pk}").json()
    assert detail["accessibility"]["step_free"] is False
    assert detail["places_left"] == 2
    for query in ("neighbourhood=gibt-es-nicht", "kind=zirkus", "project=nein"):
        response = client.get(f"/api/v1/municipalities/{slug}/events?{query}")
        assert 400 <= response.status_code < 500, query
        assert "detail" in response.json()
    assert client.get(f"/api/v1/municipalities/{slug}/events/999999").status_code == 404

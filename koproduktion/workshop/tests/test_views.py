"""The workshop screen's pages: for the event's staff only, closed outside its hours with the
reason, bad input kept with the reason at the field, a thank-you page that shows nothing of
the previous person, the counts on the event page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.events.tests.factories import EventFactory, resident_of
from koproduktion.ideas.models import Idea
from koproduktion.implementation.models import Commitment
from koproduktion.implementation.tests.factories import ShiftFactory
from koproduktion.opinions.models import StatementVote
from koproduktion.opinions.tests.factories import OpinionMapFactory, StatementFactory
from koproduktion.projects.tests.factories import staff_of

from .test_services import running_event

pytestmark = pytest.mark.django_db


def _url(event, name="start"):
    return reverse(f"workshop:{name}", args=[event.municipality.slug, event.pk])


def test_residents_and_visitors_cannot_open_the_screen(client):
    event = running_event()
    assert client.get(_url(event)).status_code == 302  # to the log-in
    client.force_login(resident_of(event))
    for name in ("start", "idea", "opinion", "signup", "thanks"):
        assert client.get(_url(event, name)).status_code == 403


def test_outside_its_hours_the_screen_says_when_it_opens(client):
    event = EventFactory()  # in a week
    client.force_login(staff_of(event.project))
    response = client.get(_url(event, "idea"))
    assert response.status_code == 403
    assert "öffnet eine Stunde vor Beginn" in response.content.decode()
    response = client.post(_url(event, "idea"), {"title": "Mehr Bänke", "text": "Am Ufer, bitte."})
    assert response.status_code == 403
    assert not Idea.objects.exists()


def test_an_empty_idea_is_refused_at_the_field_and_what_was_typed_stays(client):
    event = running_event()
    client.force_login(staff_of(event.project))
    response = client.post(
        _url(event, "idea"), {"title": "Mehr Bänke am Ufer", "text": "", "contributor_name": "KM"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_text_errors"' in page
    assert 'value="Mehr Bänke am Ufer"' in page
    assert not Idea.objects.exists()


def test_after_an_idea_the_thank_you_page_shows_nothing_of_it(client):
    event = running_event()
    client.force_login(staff_of(event.project))
    response = client.post(
        _url(event, "idea"),
        {
            "title": "Mehr Bänke am Ufer",
            "text": "Zum Ausruhen fehlen Bänke.",
            "contributor_name": "KM",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Danke!" in page
    assert "Nächste Person" in page
    assert "Mehr Bänke" not in page
    assert "KM" not in page
    idea = Idea.objects.get()
    assert (idea.source_event, idea.contributor_name) == (event, "KM")


def test_a_person_at_the_tablet_answers_one_statement_after_another(client):
    event = running_event()
    OpinionMapFactory(project=event.project)
    first = StatementFactory(project=event.project, text="Mehr Grün am Markt")
    second = StatementFactory(project=event.project, text="Tempo 30 überall")
    client.force_login(staff_of(event.project))
    page = client.get(_url(event, "opinion")).content.decode()
    assert "Neue Person" in page
    assert "Mehr Grün" not in page
    response = client.post(_url(event, "person"), follow=True)
    page = response.content.decode()
    assert "These 1 von 2" in page
    shown = first if first.text in page else second
    response = client.post(_url(event, "opinion"), {"these": "x", "stimme": "1"})
    assert response.status_code == 400
    assert "eine der drei Antworten" in response.content.decode()
    response = client.post(_url(event, "opinion"), {"these": shown.pk, "stimme": "1"}, follow=True)
    assert "These 2 von 2" in response.content.decode()
    other = second if shown == first else first
    response = client.post(_url(event, "opinion"), {"these": other.pk, "stimme": "-1"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?nach=meinung")
    assert "Die Antworten sind gezählt" in response.content.decode()
    assert "Tempo 30" not in response.content.decode()
    assert StatementVote.objects.count() == 2
    # The next person starts afresh.
    assert "Neue Person" in client.get(_url(event, "opinion")).content.decode()


def test_a_signup_on_behalf_is_shown_to_the_task_organisers(client):
    event = running_event()
    shift = ShiftFactory(task__project=event.project, task__title="Beete gießen", capacity=1)
    staff = staff_of(event.project)
    client.force_login(staff)
    page = client.get(_url(event, "signup")).content.decode()
    assert "Beete gießen" in page
    assert "1 Platz frei" in page
    response = client.post(_url(event, "signup"), {"shift": f"shift-{shift.pk}", "name": ""})
    assert response.status_code == 400
    assert 'id="id_name_errors"' in response.content.decode()
    response = client.post(
        _url(event, "signup"),
        {"shift": f"shift-{shift.pk}", "name": "Karla Meier", "phone": "0171 234567"},
    )
    assert response["Location"].endswith("?nach=zusage")
    assert Commitment.objects.get().contributor_name == "Karla Meier"
    # Full now: the shift is no longer offered.
    page = client.get(_url(event, "signup")).content.decode()
    assert "keine Aufgabe mit freien Plätzen" in page
    task = shift.task
    task_page = client.get(
        reverse(
            "implementation:task",
            args=[event.municipality.slug, event.project.slug, task.pk],
        )
    ).content.decode()
    assert "Karla Meier" in task_page
    assert "0171 234567" in task_page
    event_page = client.get(
        reverse("events:detail", args=[event.municipality.slug, event.pk])
    ).content.decode()
    assert "1 Zusage zum Mithelfen" in event_page
    assert "Werkstatt-Modus (Tablet)" in event_page
    client.logout()
    public = client.get(
        reverse("events:detail", args=[event.municipality.slug, event.pk])
    ).content.decode()
    assert "Karla" not in public


def test_the_start_page_counts_what_was_collected(client):
    event = running_event()
    client.force_login(staff_of(event.project))
    page = client.get(_url(event)).content.decode()
    assert "0 Ideen" in page
    assert "Idee aufnehmen" in page

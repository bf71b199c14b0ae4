"""The council's agenda page, recording the council's decision from it, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.models import AuditEntry, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.decisions.models import Body, Decision
from koproduktion.decisions.tests.factories import PollFactory
from koproduktion.ideas.models import IdeaStatus
from koproduktion.notifications.models import Notification
from koproduktion.projects.tests.factories import ProjectFactory

from .test_agenda import days_ago, over_quorum

pytestmark = pytest.mark.django_db

REASONS = "Der Rat folgt den 60 Unterstützerinnen und Unterstützern; die Mittel stehen bereit."


@pytest.fixture
def town():
    municipality = MunicipalityFactory(name="Lindenau")
    project = ProjectFactory(municipality=municipality, title="Grüne Mitte")
    idea = over_quorum(project, 12, title="Trinkbrunnen am Markt")
    return municipality, project, idea


def agenda(municipality) -> str:
    return reverse("council:agenda", args=[municipality.slug])


def record_url(idea) -> str:
    return reverse("council:record_idea", args=[idea.municipality.slug, idea.pk])


def allow_clerk(municipality, allowed=True):
    Municipality.objects.filter(pk=municipality.pk).update(council_records_decisions=allowed)


def decision_data(**fields):
    return {
        "title": "Trinkbrunnen am Markt",
        "body_name": "Rat der Stadt Lindenau",
        "decided_on": "2026-11-26",
        "outcome": "adopted",
        "reasons": REASONS,
        "minutes_url": "",
        **fields,
    }


@pytest.mark.parametrize(
    "role", [Role.COUNCIL, Role.CLERK, Role.STAFF, Role.COORDINATION, Role.ADMIN]
)
def test_the_council_and_those_preparing_its_business_read_the_agenda(client, town, role):
    municipality, _project, _idea = town
    client.force_login(person_with_role(municipality, role))
    page = client.get(agenda(municipality)).content.decode()
    assert "Trinkbrunnen am Markt" in page
    assert "wartet seit 12 Tagen" in page
    assert "1 Punkt wartet auf den Rat." in page


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR, Role.ORGANISATION, None])
def test_residents_and_others_do_not_read_the_agenda(client, town, role):
    municipality = town[0]
    client.force_login(person_with_role(municipality, role))
    assert client.get(agenda(municipality)).status_code == 403


def test_the_council_of_another_town_does_not_read_this_agenda(client, town):
    client.force_login(person_with_role(MunicipalityFactory(), Role.COUNCIL))
    assert client.get(agenda(town[0])).status_code == 403


def test_visitors_are_asked_to_log_in(client, town):
    response = client.get(agenda(town[0]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_header_shows_council_members_their_agenda_with_its_count(client, town):
    municipality, project, _idea = town
    PollFactory(project=project, opens_at=days_ago(9), closes_at=days_ago(2))
    client.force_login(person_with_role(municipality, Role.COUNCIL))
    page = client.get(reverse("projects:municipality", args=[municipality.slug])).content.decode()
    assert f'href="{agenda(municipality)}">Tagesordnung des Rats' in page
    assert '<span class="badge">2<span class="visually-hidden"> Punkte</span>' in page


def test_the_header_shows_residents_no_agenda(client, town):
    municipality = town[0]
    client.force_login(person_with_role(municipality, Role.RESIDENT))
    page = client.get(reverse("projects:municipality", args=[municipality.slug])).content.decode()
    assert "Tagesordnung des Rats" not in page


def test_a_council_member_cannot_record_the_council_decision(client, town):
    municipality, _project, idea = town
    allow_clerk(municipality)
    client.force_login(person_with_role(municipality, Role.COUNCIL))
    assert "Beschluss des Rats eintragen" not in client.get(agenda(municipality)).content.decode()
    assert client.post(record_url(idea), decision_data()).status_code == 403
    assert not Decision.objects.exists()


def test_a_clerk_records_only_where_the_town_allows_it(client, town):
    municipality, _project, idea = town
    clerk = person_with_role(municipality, Role.CLERK)
    client.force_login(clerk)
    assert "Beschluss des Rats eintragen" not in client.get(agenda(municipality)).content.decode()
    assert client.get(record_url(idea)).status_code == 403
    assert client.post(record_url(idea), decision_data()).status_code == 403
    assert not Decision.objects.exists()

    allow_clerk(municipality)
    page = client.get(agenda(municipality)).content.decode()
    assert f'href="{record_url(idea)}"' in page
    response = client.post(record_url(idea), decision_data())
    assert response.status_code == 302
    assert response["Location"] == agenda(municipality)
    decision = Decision.objects.get()
    assert (decision.body, decision.body_name, decision.recorded_by) == (
        Body.COUNCIL,
        "Rat der Stadt Lindenau",
        clerk,
    )
    assert list(decision.ideas.all()) == [idea]
    assert decision.project == idea.project
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    told = Notification.objects.get(user=idea.author, idea=idea)
    assert "angenommen" in told.message
    assert AuditEntry.objects.filter(action="decisions.decision_record", actor=clerk).exists()
    assert AuditEntry.objects.filter(action="ideas.idea_status_follow_decision").exists()
    assert "Zurzeit liegt dem Rat" in client.get(agenda(municipality)).content.decode()


def test_a_clerk_of_another_town_cannot_record_here(client, town):
    municipality, _project, idea = town
    allow_clerk(municipality)
    other = MunicipalityFactory(council_records_decisions=True)
    client.force_login(person_with_role(other, Role.CLERK))
    assert client.post(record_url(idea), decision_data()).status_code == 403


def test_staff_record_the_council_decision_on_a_poll_and_a_due_project(client, town):
    municipality, project, _idea = town
    poll = PollFactory(project=project, opens_at=days_ago(9), closes_at=days_ago(2))
    due = ProjectFactory(municipality=municipality, next_decision_date=timezone.localdate())
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    url = reverse("council:record_poll", args=[municipality.slug, poll.pk])
    assert client.post(url, decision_data(title="Ergebnis übernommen")).status_code == 302
    assert list(Decision.objects.get(title="Ergebnis übernommen").polls.all()) == [poll]
    url = reverse("council:record_project", args=[municipality.slug, due.slug])
    assert client.post(url, decision_data(title="Bau beschlossen")).status_code == 302
    assert Decision.objects.get(title="Bau beschlossen").project == due
    page = client.get(agenda(municipality)).content.decode()
    assert "Ergebnis übernommen" not in page
    assert f'id="punkt-project-{due.pk}"' not in page


def test_a_decision_without_reasons_is_refused_next_to_the_field_and_keeps_the_input(client, town):
    municipality, _project, idea = town
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    response = client.post(
        record_url(idea), decision_data(reasons="   ", body_name="Hauptausschuss als Rat")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_reasons_errors"' in page
    assert "Dieses Feld ist zwingend erforderlich." in page or "erforderlich" in page
    assert 'value="Hauptausschuss als Rat"' in page
    assert not Decision.objects.exists()


def test_a_wrong_date_is_refused_next_to_the_field(client, town):
    municipality, _project, idea = town
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    response = client.post(record_url(idea), decision_data(decided_on="32.13.2026"))
    assert response.status_code == 400
    assert 'id="id_decided_on_errors"' in response.content.decode()
    assert 'value="32.13.2026"' in response.content.decode()
    assert not Decision.objects.exists()


def test_items_the_agenda_would_not_show_cannot_be_recorded_from_it(client, town):
    municipality, _project, _idea = town
    draft_idea = over_quorum(ProjectFactory(municipality=municipality, is_published=False), 3)
    foreign_idea = over_quorum(ProjectFactory(), 3)
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    assert client.get(record_url(draft_idea)).status_code == 404
    url = reverse("council:record_idea", args=[municipality.slug, foreign_idea.pk])
    assert client.get(url).status_code == 404


def test_the_town_admins_decide_whether_the_clerk_records(client, town):
    municipality = town[0]
    url = reverse("council:recording", args=[municipality.slug])
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    assert "Wer trägt die Beschlüsse" not in client.get(agenda(municipality)).content.decode()
    assert client.post(url, {"council_records_decisions": "on"}).status_code == 403
    admin = person_with_role(municipality, Role.ADMIN)
    client.force_login(admin)
    assert "Wer trägt die Beschlüsse" in client.get(agenda(municipality)).content.decode()
    response = client.post(url, {"council_records_decisions": "on"}, follow=True)
    assert "trägt die Beschlüsse des Rats jetzt selbst ein" in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.council_records_decisions
    entry = AuditEntry.objects.get(action="council.municipality_council_recording_set")
    assert (entry.actor, entry.before, entry.after) == (
        admin,
        {"council_records_decisions": False},
        {"council_records_decisions": True},
    )
    client.post(url, {})
    municipality.refresh_from_db()
    assert not municipality.council_records_decisions


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_agenda_costs_the_same_queries_for_few_or_many_items(client, town):
    """A page asks for its rows, their count and the records of each kind on it (one query a
    kind), however long the agenda."""
    municipality, project, _idea = town
    PollFactory(project=project, opens_at=days_ago(50), closes_at=days_ago(3))
    ProjectFactory(municipality=municipality, next_decision_date=timezone.localdate())
    client.force_login(person_with_role(municipality, Role.COUNCIL))
    few = _queries(client, agenda(municipality))
    for days in range(40):
        over_quorum(project, days)
    for days in range(5):
        PollFactory(project=project, opens_at=days_ago(50), closes_at=days_ago(days + 1))
        ProjectFactory(
            municipality=municipality,
            next_decision_date=timezone.localdate() - datetime.timedelta(days=days),
        )
    assert _queries(client, agenda(municipality) + "?seite=2") == few  # all three kinds
    assert _queries(client, agenda(municipality)) == few - 2  # ideas only


def test_the_form_starts_with_the_item_and_today_in_a_date_field_browsers_fill(client, town):
    municipality, _project, idea = town
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    page = client.get(record_url(idea)).content.decode()
    assert 'value="Trinkbrunnen am Markt"' in page
    # A date input shows only ISO dates; a German "03.12.2026" would leave it empty.
    assert f'type="date" name="decided_on" value="{timezone.localdate().isoformat()}"' in page

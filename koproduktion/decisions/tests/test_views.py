from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests import samples
from koproduktion.core.tests.factories import person_with_role
from koproduktion.decisions.models import (
    Decision,
    Participation,
    PollKind,
    ResultsVisibility,
)
from koproduktion.decisions.services import ballot_cast
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory, closed
from koproduktion.ideas.models import IdeaStatus
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def _poll_url(name, poll):
    return reverse(
        f"project_decisions:{name}", args=[poll.municipality.slug, poll.project.slug, poll.pk]
    )


def test_over_budget_ballot_is_refused_with_the_sums_and_keeps_the_choice(client):
    poll = PollFactory(kind=PollKind.BUDGET, budget_cents=100_000)
    a = PollOptionFactory(poll=poll, cost_cents=60_000)
    b = PollOptionFactory(poll=poll, cost_cents=50_000)
    client.force_login(person_with_role(poll.municipality, Role.RESIDENT))
    response = client.post(_poll_url("poll", poll), {"choices": [a.pk, b.pk]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ihre Auswahl kostet 1.100 €, das Budget beträgt 1.000 €" in html
    assert html.count("checked") == 2
    assert not Participation.objects.exists()
    response = client.post(_poll_url("poll", poll), {"choices": [a.pk]})
    assert response.status_code == 302
    assert "Sie haben abgestimmt" in client.get(_poll_url("poll", poll)).content.decode()


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (PollKind.APPROVAL, "choices", "0"),
        (PollKind.APPROVAL, "choices", "-5"),
        (PollKind.BUDGET, "choices", "-5"),
        (PollKind.DOTS, "option", "-1"),
        (PollKind.DOTS, "option", "99"),
        (PollKind.RANKING, "option", "0"),
        (PollKind.RANKING, "option", "-2"),
    ],
)
def test_the_ballot_form_refuses_values_it_does_not_offer(client, kind, field, value):
    poll = PollFactory(kind=kind, points=5, budget_cents=1_000_000)
    option = PollOptionFactory(poll=poll, cost_cents=1_000)
    client.force_login(person_with_role(poll.municipality, Role.RESIDENT))
    name = "choices" if field == "choices" else f"option_{option.pk}"
    response = client.post(_poll_url("poll", poll), {name: value})
    assert response.status_code == 400
    assert "ist keine gültige Auswahl" in response.content.decode()
    assert not Participation.objects.exists()


def test_results_hidden_until_close_unless_live_and_csv_export(client):
    poll = PollFactory(results_visibility=ResultsVisibility.AFTER_CLOSE)
    option = PollOptionFactory(poll=poll, title="Mehr Grün")
    ballot_cast(
        voter=person_with_role(poll.municipality, Role.RESIDENT), poll=poll, choices={option.pk: 1}
    )
    assert client.get(_poll_url("results", poll)).status_code == 403
    client.force_login(person_with_role(poll.municipality, Role.STAFF))
    assert client.get(_poll_url("results", poll)).status_code == 200
    client.logout()
    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    csv = client.get(_poll_url("results_csv", poll))
    assert csv["Content-Type"].startswith("text/csv")
    # Live results count whole batches: the single ballot waits for the close.
    assert f"1,{option.pk},Mehr Grün,0,0" in csv.content.decode()
    page = client.get(_poll_url("results", poll)).content.decode()
    assert "1 Stimme wird noch nicht gezählt" in page
    closed(poll)
    csv = client.get(_poll_url("results_csv", poll))
    assert f"1,{option.pk},Mehr Grün,1,1" in csv.content.decode()


def test_results_page_costs_the_same_with_many_ballots(client):
    counts = []
    for voters in (1, 25):
        poll = PollFactory(results_visibility=ResultsVisibility.LIVE)
        options = [PollOptionFactory(poll=poll) for _ in range(4)]
        for _ in range(voters):
            ballot_cast(
                voter=person_with_role(poll.municipality, Role.RESIDENT),
                poll=poll,
                choices={o.pk: 1 for o in options[:2]},
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_poll_url("results", poll)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Participation.objects.count() == 26


def test_staff_record_a_decision_through_the_form_and_the_idea_follows(client):
    idea = IdeaFactory()
    client.force_login(staff_of(idea.project))
    url = (
        reverse("decisions:record", args=[idea.municipality.slug])
        + f"?vorhaben={idea.project.slug}"
    )
    data = {
        "title": "Neue Bänke",
        "project": idea.project.pk,
        "body": "council",
        "body_name": "Rat",
        "decided_on": "2026-11-20",
        "outcome": "rejected",
        "reasons": "",
        "ideas": [idea.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    data["reasons"] = "Kein Platz auf dem Gehweg."
    response = client.post(url, data)
    decision = Decision.objects.get()
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    page = client.get(reverse("decisions:log", args=[idea.municipality.slug])).content.decode()
    assert "Neue Bänke" in page
    edit = reverse("decisions:edit", args=[idea.municipality.slug, decision.pk])
    response = client.post(
        edit,
        {**data, "reasons": "Kein Platz; geprüft im Oktober.", "change_note": "Begründung ergänzt"},
    )
    assert response.status_code == 302
    detail = client.get(
        reverse("decisions:detail", args=[idea.municipality.slug, decision.pk])
    ).content.decode()
    assert "Begründung ergänzt" in detail
    assert "geprüft im Oktober" in detail


def test_residents_cannot_record_decisions(client):
    idea = IdeaFactory()
    client.force_login(person_with_role(idea.municipality, Role.RESIDENT))
    assert client.get(reverse("decisions:record", args=[idea.municipality.slug])).status_code == 403


def test_staff_print_codes_once_and_a_resident_verifies(client):
    town = PollFactory(binding=True).municipality
    client.force_login(person_with_role(town, Role.STAFF))
    response = client.post(
        reverse("decisions:verification_staff", args=[town.slug]), {"codes": "1", "count": "2"}
    )
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    codes = re.findall(r'<span class="code">([A-Z0-9-]+)</span>', html)
    assert len(codes) == 2
    client.force_login(person_with_role(town, Role.RESIDENT))
    response = client.post(
        reverse("decisions:verification", args=[town.slug]), {"code": codes[0]}, follow=True
    )
    assert "Sie sind jetzt verifiziert" in response.content.decode()


def test_minutes_must_be_a_pdf_by_content_and_the_form_keeps_the_rest(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    idea = IdeaFactory()
    client.force_login(staff_of(idea.project))
    url = reverse("decisions:record", args=[idea.municipality.slug])
    data = {
        "title": "Neue Bänke",
        "project": idea.project.pk,
        "body": "council",
        "decided_on": "2026-11-20",
        "outcome": "adopted",
        "reasons": "Mehr Sitzplätze am Markt.",
        "minutes": samples.upload("protokoll.pdf", samples.HTML_PAGE, "application/pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "„protokoll.pdf“ ist kein PDF." in html
    assert "Mehr Sitzplätze am Markt." in html
    assert 'accept=".pdf,application/pdf"' in html
    assert not Decision.objects.exists()
    data["minutes"] = samples.upload("protokoll", samples.PDF)
    assert client.post(url, data).status_code == 302
    assert Decision.objects.get().minutes.name.endswith("/protokoll.pdf")

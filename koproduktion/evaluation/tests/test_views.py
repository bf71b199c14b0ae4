"""The evaluation pages: the survey on the project's page, results, report, the workspace."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.evaluation import services
from koproduktion.evaluation.models import EvaluationReport, Question, SurveyAnswer
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import evaluating, open_survey, questions, resident_of

pytestmark = pytest.mark.django_db


def _url(project: Project, name: str = "evaluation:section", *args) -> str:
    return reverse(name, args=[project.municipality.slug, project.slug, *args])


def _answers(project, asked, count: int) -> None:
    rating, yes_no, text = asked
    for number in range(count):
        services.survey_answer(
            actor=resident_of(project),
            project=project,
            values={rating.pk: 1 + number % 5, yes_no.pk: "ja", text.pk: f"Geheimer Text {number}"},
        )


def test_a_resident_answers_and_may_change_the_answer(client):
    project, _staff, (rating, yes_no, _text) = open_survey()
    person = resident_of(project)
    client.force_login(person)
    page = client.get(_url(project)).content.decode()
    assert "Wie zufrieden sind Sie?" in page
    assert "1 – gar nicht" in page
    response = client.post(
        _url(project), {f"question_{rating.pk}": "4", f"question_{yes_no.pk}": "ja"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#umfrage")
    page = client.get(_url(project)).content.decode()
    assert "Sie haben schon geantwortet" in page
    assert re.search(rf'name="question_{rating.pk}" value="4"[^>]*checked', page)
    client.post(_url(project), {f"question_{rating.pk}": "2"})
    assert SurveyAnswer.objects.get(user=person).items.get().rating == 2


def test_a_bad_answer_keeps_what_was_typed_and_says_why(client):
    project, _staff, (rating, _yes_no, text) = open_survey()
    client.force_login(resident_of(project))
    response = client.post(
        _url(project), {f"question_{rating.pk}": "9", f"question_{text.pk}": "Mehr Schatten"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mehr Schatten" in page  # kept
    assert re.search(r"Wählen Sie eine gültige Option|gültige Auswahl", page)
    assert not SurveyAnswer.objects.exists()


def test_visitors_are_asked_to_log_in_and_blocked_people_told_why(client):
    project, _staff, (rating, *_rest) = open_survey()
    page = client.get(_url(project)).content.decode()
    assert "Anmelden, um an der Umfrage teilzunehmen" in page
    assert f'name="question_{rating.pk}"' not in page
    response = client.post(_url(project), {f"question_{rating.pk}": "3"})
    assert response.status_code == 302
    assert "/anmelden/" in response["Location"]
    from koproduktion.core.models import Block  # noqa: PLC0415

    blocked = resident_of(project)
    Block.objects.create(municipality=project.municipality, user=blocked, reason="Spam")
    client.force_login(blocked)
    assert "gesperrt" in client.get(_url(project)).content.decode()
    response = client.post(_url(project), {f"question_{rating.pk}": "3"})
    assert "gesperrt" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_outside_the_evaluation_phase_there_is_no_form(client):
    project, staff = evaluating(phase=PhaseKind.IMPLEMENTATION)
    questions(project, staff)
    client.force_login(resident_of(project))
    page = client.get(_url(project)).content.decode()
    assert "noch nicht geöffnet" in page
    assert 'name="question_' not in page


def test_results_appear_from_five_answers_without_the_free_texts(client):
    project, staff, asked = open_survey()
    _answers(project, asked, 4)
    page = client.get(_url(project)).content.decode()
    assert "Das Ergebnis erscheint ab 5 Antworten" in page
    assert "Durchschnitt" not in page
    _answers(project, asked, 1)
    page = client.get(_url(project)).content.decode()
    assert "5 Personen haben geantwortet" in page
    assert '<th scope="row">1 – gar nicht</th>' in page
    assert "Durchschnitt 2,2 von 5" in page
    assert "Geheimer Text" not in page
    assert "5 freie Antworten" in page
    # Staff read the texts in the workspace, without names.
    client.force_login(staff)
    workspace = client.get(_url(project, "evaluation_workspace:questions")).content.decode()
    assert "Geheimer Text 0" in workspace


@pytest.mark.parametrize("who", ["visitor", "resident", "staff"])
def test_the_page_costs_the_same_for_few_and_many_answers(client, who):
    counts = []
    for size in (5, 25):
        project, staff, asked = open_survey()
        _answers(project, asked, size)
        services.report_publish(
            actor=staff,
            report=services.report_save(actor=staff, project=project, planned="P", outcome="O"),
        )
        if who != "visitor":
            client.force_login(staff if who == "staff" else resident_of(project))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(project)).status_code == 200
        counts.append(len(queries))
        client.logout()
    assert counts[0] == counts[1]
    # A first visit: the project is read afresh (its version, then the project to be kept).
    assert counts[1] <= {"visitor": 8, "resident": 16, "staff": 18}[who]


def test_the_workspace_sets_questions_and_opens_the_survey(client):
    project, staff = evaluating()
    client.force_login(staff)
    url = _url(project, "evaluation_workspace:questions")
    response = client.post(url, {"add": "1", "kind": "rating", "text": ""})
    assert response.status_code == 400  # the text is missing; the kind stays chosen
    assert re.search(r'name="kind" value="rating"[^>]*checked', response.content.decode())
    client.post(url, {"add": "1", "kind": "rating", "text": "Wie war es?", "high_label": "toll"})
    client.post(url, {"add": "1", "kind": "yes_no", "text": "Wieder?"})
    assert list(Question.objects.values_list("text", flat=True)) == ["Wie war es?", "Wieder?"]
    second = Question.objects.get(text="Wieder?")
    client.post(_url(project, "evaluation_workspace:question_action", second.pk), {"action": "up"})
    assert list(Question.objects.values_list("text", flat=True)) == ["Wieder?", "Wie war es?"]
    response = client.post(url, {"open": "1", "closes_on": "2020-01-01"})
    assert response.status_code == 400
    assert "Vergangenheit" in response.content.decode()
    assert 'value="2020-01-01"' in response.content.decode()
    client.post(url, {"open": "1"})
    assert "Die Umfrage ist seit dem" in client.get(url).content.decode()


def test_a_question_with_answers_is_not_deleted_and_the_page_says_why(client):
    project, staff, asked = open_survey()
    _answers(project, asked, 1)
    client.force_login(staff)
    response = client.post(
        _url(project, "evaluation_workspace:question_action", asked[0].pk),
        {"action": "delete"},
        follow=True,
    )
    assert "schon Antworten" in response.content.decode()
    assert Question.objects.filter(pk=asked[0].pk).exists()


def test_the_report_form_prefills_refuses_negative_costs_and_publishes(client):
    project, staff = evaluating(cost_estimate_cents=1_250_050)
    client.force_login(staff)
    url = _url(project, "evaluation_workspace:report")
    assert 'value="12.500,50"' in client.get(url).content.decode()
    data = {
        "planned": "Ein Spielplatz.",
        "outcome": "Er ist offen.",
        "cost_estimate_cents": "12.500,50",
        "cost_actual_cents": "-5",
        "kept_start": "2026-04-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ein Spielplatz." in page
    assert 'value="-5"' in page
    data["cost_actual_cents"] = "13.000"
    assert client.post(url, data).status_code == 302
    # Staff see their draft on the page, marked as such.
    assert "Entwurf: nur für die Verwaltung" in client.get(_url(project)).content.decode()
    # A visitor does not see the draft.
    client.logout()
    assert "Ein Spielplatz." not in client.get(_url(project)).content.decode()
    client.force_login(staff)
    response = client.post(_url(project, "evaluation_workspace:report_publish"))
    assert response.status_code == 302
    client.logout()
    page = client.get(_url(project)).content.decode()
    assert "Ein Spielplatz." in page
    assert "13.000 €" in page
    assert "12.500 €" in page
    assert "500 € teurer als geschätzt" in page
    detail = client.get(reverse("projects:detail", args=[project.municipality.slug, project.slug]))
    assert "Bericht und Umfrage ansehen" in detail.content.decode()


def test_the_workspace_is_for_the_project_s_managers_only(client):
    project, _staff = evaluating()
    draft = ProjectFactory(municipality=project.municipality, is_published=False)
    client.force_login(resident_of(project))
    for name in ("evaluation_workspace:questions", "evaluation_workspace:report"):
        assert client.get(_url(project, name)).status_code == 403
        assert client.get(_url(draft, name)).status_code == 404
    other_town_staff = person_with_role(ProjectFactory().municipality, Role.ADMIN)
    client.force_login(other_town_staff)
    assert client.get(_url(project, "evaluation_workspace:report")).status_code == 403
    assert not EvaluationReport.objects.exists()


def test_the_project_workspace_links_the_evaluation(client):
    project, staff = evaluating()
    client.force_login(staff)
    basics = client.get(reverse("workspace:basics", args=[project.municipality.slug, project.slug]))
    assert _url(project, "evaluation_workspace:questions") in basics.content.decode()


def test_the_town_s_list_offers_the_survey_as_the_next_step(client):
    project, _staff, _asked = open_survey()
    town = client.get(reverse("projects:municipality", args=[project.municipality.slug]))
    assert "die Umfrage zur Auswertung" in town.content.decode()

"""The evaluation in the API: results and report to read, an answer to write."""

from __future__ import annotations

import json

import pytest

from koproduktion.evaluation import services
from koproduktion.evaluation.models import SurveyAnswer
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project

from .factories import evaluating, open_survey, questions, resident_of

pytestmark = pytest.mark.django_db


def _base(project: Project) -> str:
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/evaluation"


def _post(client, project, answers):
    return client.post(
        _base(project) + "/survey/answers",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )


def test_results_are_read_like_the_page():
    from django.test import Client  # noqa: PLC0415

    project, _staff, (rating, yes_no, _text) = open_survey()
    client = Client()
    body = client.get(_base(project) + "/survey").json()
    assert body["open"] is True
    assert body["results_shown"] is False
    assert [q["counts"] for q in body["questions"]] == [[], [], []]
    for number in range(5):
        services.survey_answer(
            actor=resident_of(project),
            project=project,
            values={rating.pk: 5 if number else 1, yes_no.pk: "ja"},
        )
    body = client.get(_base(project) + "/survey").json()
    assert body["answers"] == 5
    first = body["questions"][0]
    assert first["average"] == pytest.approx(4.2)
    assert [(c["value"], c["count"]) for c in first["counts"]] == [
        ("1", 1),
        ("2", 0),
        ("3", 0),
        ("4", 0),
        ("5", 4),
    ]
    assert [(c["value"], c["percent"]) for c in body["questions"][1]["counts"]] == [
        ("ja", 100),
        ("nein", 0),
    ]
    assert body["questions"][2]["counts"] == []  # free texts are not published


def test_a_survey_not_yet_opened_and_a_draft_report_are_not_found(client):
    project, staff = evaluating()
    questions(project, staff)
    assert client.get(_base(project) + "/survey").status_code == 404
    services.report_save(actor=staff, project=project, planned="P", outcome="O")
    assert client.get(_base(project) + "/report").status_code == 404
    services.report_publish(actor=staff, report=project.evaluation_report)
    report = client.get(_base(project) + "/report").json()
    assert (report["planned"], report["outcome"]) == ("P", "O")


def test_a_resident_answers_through_the_api(client):
    project, _staff, (rating, yes_no, text) = open_survey()
    assert _post(client, project, [{"question": rating.pk, "value": 4}]).status_code == 401
    person = resident_of(project)
    client.force_login(person)
    response = _post(
        client,
        project,
        [
            {"question": rating.pk, "value": 4},
            {"question": yes_no.pk, "value": False},
            {"question": text.pk, "value": "Mehr Bänke"},
        ],
    )
    assert response.status_code == 201
    items = {item.question_id: item for item in SurveyAnswer.objects.get(user=person).items.all()}
    assert (items[rating.pk].rating, items[yes_no.pk].yes, items[text.pk].text) == (
        4,
        False,
        "Mehr Bänke",
    )


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        ({"value": 7}, 400, "1 bis 5"),
        ({"value": "sehr"}, 400, "1 bis 5"),
        ({"question": 999999}, 400, "gehört nicht"),
    ],
)
def test_bad_answers_get_a_reason(client, answer, status, reason):
    project, _staff, (rating, *_rest) = open_survey()
    client.force_login(resident_of(project))
    response = _post(client, project, [{"question": rating.pk, "value": 3, **answer}])
    assert response.status_code == status
    assert reason in response.json()["detail"]


def test_answering_outside_the_evaluation_phase_is_refused(client):
    project, _staff, (rating, *_rest) = open_survey()
    Project.objects.filter(pk=project.pk).update(phase=PhaseKind.IMPLEMENTATION)
    client.force_login(resident_of(project))
    response = _post(client, project, [{"question": rating.pk, "value": 3}])
    assert response.status_code == 403
    assert "Umsetzung" in response.json()["detail"]
    assert _post(client, project, [{"question": rating.pk, "value": 3}] * 2).status_code == 400

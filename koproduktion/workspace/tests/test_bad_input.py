"""Bad input in the workspace: a reason next to the field, nothing stored, nothing typed lost."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import RestrictedError
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.models import AuditEntry
from koproduktion.core.tests.factories import DepartmentFactory, MunicipalityFactory
from koproduktion.decisions.models import BallotLine, BallotPool, PollKind, PollOption
from koproduktion.decisions.services import (
    ballot_cast,
    ballot_pool_flush,
    option_add,
    option_delete,
    option_update,
    poll_create,
    poll_update,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Document, Phase, Project
from koproduktion.projects.services import project_create

from .conftest import client_of, plan_data

pytestmark = pytest.mark.django_db


def _error_next_to(html: str, field_id: str) -> str:
    """The message shown right below the field ``field_id`` (its error list)."""
    match = re.search(rf'<ul class="errorlist" id="{field_id}_errors">(.*?)</ul>', html, re.S)
    assert match, f"no error next to {field_id}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


def _project(town, **fields):
    return project_create(
        municipality=town.municipality,
        title="Hafenpark",
        summary="Ein Park.",
        department=town.lead,
        phase=fields.pop("phase", PhaseKind.DECISION),
        **fields,
    )


def _budget(town, project, **fields):
    now = timezone.now()
    return poll_create(
        actor=town.people["admin"],
        project=project,
        title="Bürgerhaushalt",
        kind=PollKind.BUDGET,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        budget_cents=100_000,
        **fields,
    )


def test_dates_out_of_order_are_refused_next_to_the_phase(town):
    project = _project(town)
    data = plan_data(datetime.date(2026, 1, 1), kinds=(PhaseKind.INFORMATION, PhaseKind.DIALOGUE))
    data["dialogue_starts_on"] = "2026-01-15"  # inside the information phase
    data["information_description"] = "Wir stellen die Pläne vor."
    url = reverse("workspace:timeline", args=[town.municipality.slug, project.slug])
    response = client_of(town.people["lead_staff"]).post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "bevor die Phase „Information“ endet" in _error_next_to(html, "id_dialogue_starts_on")
    assert 'value="2026-01-15"' in html
    assert "Wir stellen die Pläne vor." in html
    assert not Phase.objects.filter(project=project).exists()

    data = plan_data(datetime.date(2026, 1, 1), kinds=(PhaseKind.INFORMATION,))
    data["information_ends_on"] = "2025-12-01"
    html = client_of(town.people["lead_staff"]).post(url, data).content.decode()
    assert "Das Ende liegt vor dem Beginn." in _error_next_to(html, "id_information_ends_on")
    assert not Phase.objects.filter(project=project).exists()


def test_a_budget_option_without_cost_is_refused_by_the_form_and_the_service(town):
    project = _project(town)
    poll = _budget(town, project)
    url = reverse("workspace:option_add", args=[town.municipality.slug, project.slug, poll.pk])
    response = client_of(town.people["lead_staff"]).post(
        url, {"option-title": "Trinkbrunnen", "option-description": "Am Spielplatz."}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "braucht jede Option ihre Kosten" in _error_next_to(html, "id_option-cost_cents")
    assert 'value="Trinkbrunnen"' in html
    assert "Am Spielplatz." in html
    assert not PollOption.objects.filter(poll=poll).exists()
    for cost in (None, 0):
        with pytest.raises(ValidationError) as refused:
            option_add(actor=town.people["admin"], poll=poll, title="Brunnen", cost_cents=cost)
        assert "cost_cents" in refused.value.message_dict
    assert not PollOption.objects.filter(poll=poll).exists()


def _vote(town, poll, option):
    voter = town.people["resident"]
    ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})


def test_a_poll_freezes_with_its_first_ballot_even_while_it_waits_in_the_pool(town):
    project = _project(town, is_published=True)
    poll = _budget(town, project)
    option = option_add(actor=town.people["admin"], poll=poll, title="Bänke", cost_cents=20_000)
    _vote(town, poll, option)
    assert BallotPool.objects.get(poll=poll).pending == 1  # not counted yet
    assert not BallotLine.objects.filter(poll=poll).exists()
    staff = town.people["lead_staff"]

    # Through the page: a reason next to the field, the typed values kept, nothing changed.
    url = reverse("workspace:poll", args=[town.municipality.slug, project.slug, poll.pk])
    response = client_of(staff).post(
        url,
        {
            "title": "Bürgerhaushalt 2027",
            "kind": PollKind.APPROVAL,
            "opens_at": timezone.localtime(poll.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": timezone.localtime(poll.closes_at).strftime("%Y-%m-%dT%H:%M"),
            "budget_cents": "1.000,00",
            "results_visibility": "after_close",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Es wurde schon abgestimmt" in _error_next_to(html, "id_kind")
    assert 'value="Bürgerhaushalt 2027"' in html
    poll.refresh_from_db()
    assert (poll.title, poll.kind, poll.budget_cents) == ("Bürgerhaushalt", "budget", 100_000)

    option_url = reverse(
        "workspace:option", args=[town.municipality.slug, project.slug, poll.pk, option.pk]
    )
    response = client_of(staff).post(option_url, {"title": "Bänke aus Holz", "cost_cents": "1"})
    assert response.status_code == 400
    assert "Es wurde schon abgestimmt" in response.content.decode()
    assert 'value="Bänke aus Holz"' in response.content.decode()

    # The services refuse alike, whoever calls them (the admin included).
    admin = town.people["admin"]
    for attempt in (
        lambda: poll_update(actor=admin, poll=poll, budget_cents=1),
        lambda: option_update(actor=admin, option=option, title="x", cost_cents=1),
        lambda: option_delete(actor=admin, option=option),
        lambda: option_add(actor=admin, poll=poll, title="Neu", cost_cents=100),
    ):
        with pytest.raises(ValidationError, match="Es wurde schon abgestimmt"):
            attempt()
    option.refresh_from_db()
    assert (option.title, option.cost_cents) == ("Bänke", 20_000)
    assert not AuditEntry.objects.filter(action__in=["decisions.option_update"]).exists()
    # The poll's text and end stay open to corrections.
    poll_update(actor=admin, poll=poll, title="Bürgerhaushalt Hafenpark")


def test_an_option_on_a_counted_ballot_cannot_be_deleted_on_its_own(town):
    project = _project(town, is_published=True)
    poll = _budget(town, project)
    option = option_add(actor=town.people["admin"], poll=poll, title="Bänke", cost_cents=20_000)
    _vote(town, poll, option)
    poll.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    assert ballot_pool_flush(poll=poll) == 1
    with pytest.raises(RestrictedError):
        PollOption.objects.get(pk=option.pk).delete()
    poll.delete()  # with its poll, the option and its ballot lines go together
    assert not BallotLine.objects.exists()


def test_a_department_of_another_town_is_refused(town):
    foreign = DepartmentFactory(municipality=MunicipalityFactory(), name="Fremdes Amt")
    url = reverse("workspace:create", args=[town.municipality.slug])
    for field, value in (("department", foreign.pk), ("involved_departments", foreign.pk)):
        data = {
            "title": "Neue Brücke",
            "summary": "Eine Brücke über den Kanal.",
            "department": str(town.lead.pk),
            "cost_estimate_cents": "1.000.000",
            field: str(value),
        }
        response = client_of(town.people["coordination"]).post(url, data)
        html = response.content.decode()
        assert response.status_code == 400
        assert "gültige Auswahl" in _error_next_to(html, f"id_{field}")
        assert 'value="Neue Brücke"' in html
        assert 'value="1.000.000"' in html
    assert not Project.objects.filter(title="Neue Brücke").exists()
    # The service refuses it too, whatever form called it.
    with pytest.raises(ValidationError) as refused:
        project_create(
            actor=town.people["coordination"],
            municipality=town.municipality,
            title="Neue Brücke",
            summary="x",
            involved_departments=[foreign],
        )
    assert "involved_departments" in refused.value.message_dict


def test_staff_lead_with_their_own_department(town):
    with pytest.raises(ValidationError) as refused:
        project_create(
            actor=town.people["lead_staff"],
            municipality=town.municipality,
            title="Fremd geführt",
            summary="x",
            department=town.other,
        )
    assert "eigenen Fachbereiche" in refused.value.message_dict["department"][0]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
        ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("tabelle.exe", b"MZ\x90\x00\x03"),
    ],
)
def test_a_document_of_an_unsafe_type_is_refused_next_to_the_field(town, name, content):
    project = _project(town)
    url = reverse("workspace:documents", args=[town.municipality.slug, project.slug])
    response = client_of(town.people["lead_staff"]).post(
        url, {"title": "Lageplan Hafenpark", "file": SimpleUploadedFile(name, content)}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert _error_next_to(html, "id_file")
    assert 'value="Lageplan Hafenpark"' in html
    assert not Document.objects.exists()


@pytest.mark.parametrize("typed", ["12,500.50", "zwölf Euro", "-5"])
def test_an_amount_that_cannot_be_read_keeps_what_was_typed(town, typed):
    url = reverse("workspace:create", args=[town.municipality.slug])
    response = client_of(town.people["lead_staff"]).post(
        url,
        {
            "title": "Neue Bänke",
            "summary": "Bänke am Ufer.",
            "department": str(town.lead.pk),
            "cost_estimate_cents": typed,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert _error_next_to(html, "id_cost_estimate_cents")
    assert f'value="{typed}"' in html
    assert not Project.objects.exists()

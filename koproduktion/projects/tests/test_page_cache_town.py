"""Visitors get the town's pages (start page, project lists, neighbourhoods) from the page cache,
and every change through the services or the admin shows on the next visit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from koproduktion.core.models import Department, Municipality, Neighbourhood, Topic
from koproduktion.core.services import tenant_record_delete, tenant_record_save
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.services import (
    phase_schedule,
    project_create,
    project_update,
)

from .page_cache_support import TOWN_PAGES, cached, fresh, town_url

pytestmark = pytest.mark.django_db


# What staff and the services change on the town's pages: each returns the text now shown and
# the text no longer shown (or None).


def _new_project(town):
    municipality, neighbourhood, _project, _admin = town
    project_create(
        municipality=municipality,
        title="Neuer Marktplatz",
        summary="Ein Platz für alle.",
        phase=PhaseKind.DIALOGUE,
        neighbourhood=neighbourhood,
        is_published=True,
    )
    return "Neuer Marktplatz", None


def _renamed_project(town):
    project_update(project=town[2], title="Fahrradstraße Hafenallee Nord")
    return "Fahrradstraße Hafenallee Nord", None


def _published_draft(town):
    municipality, neighbourhood, _project, _admin = town
    draft = project_create(
        municipality=municipality,
        title="Stiller Entwurf",
        summary="Noch nicht öffentlich.",
        phase=PhaseKind.DIALOGUE,
        neighbourhood=neighbourhood,
    )
    project_update(project=draft, is_published=True)
    return "Stiller Entwurf", None


def _costs_estimated(town):
    project_update(project=town[2], cost_estimate_cents=4_200_000_00)
    return "4.200.000 €", None


def _timeline_planned(town):
    phase_schedule(
        project=town[2],
        kind=PhaseKind.DECISION,
        starts_on=datetime.date(2031, 5, 1),
        ends_on=datetime.date(2031, 6, 30),
    )
    return "2031", None


def _topic_renamed_in_the_admin(town):
    municipality, _neighbourhood, _project, admin = town
    topic = Topic.objects.get(municipality=municipality)
    topic.name = "Verkehr"
    tenant_record_save(actor=admin, record=topic)
    return "Verkehr", "Mobilität"


def _department_renamed_in_the_admin(town):
    municipality, _neighbourhood, _project, admin = town
    department = Department.objects.get(municipality=municipality)
    department.name = "Amt für Straßen"
    tenant_record_save(actor=admin, record=department)
    return "Amt für Straßen", "Tiefbauamt"


def _neighbourhood_renamed_in_the_admin(town):
    _municipality, neighbourhood, _project, admin = town
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood.pk)
    neighbourhood.name = "Hafenviertel"
    tenant_record_save(actor=admin, record=neighbourhood)
    return "Hafenviertel", "Altstadt"


def _project_deleted_in_the_admin(town):
    *_rest, project, admin = town
    tenant_record_delete(actor=admin, record=Project.objects.get(pk=project.pk))
    return "Keine Vorhaben gefunden.", "Fahrradstraße Hafenallee"


TOWN_WRITES = [
    _new_project,
    _renamed_project,
    _published_draft,
    _costs_estimated,
    _timeline_planned,
    _topic_renamed_in_the_admin,
    _department_renamed_in_the_admin,
    _neighbourhood_renamed_in_the_admin,
    _project_deleted_in_the_admin,
]


@pytest.mark.parametrize("page", TOWN_PAGES)
@pytest.mark.parametrize("write", TOWN_WRITES, ids=lambda write: write.__name__.strip("_"))
def test_town_pages_are_cached_and_show_every_change_at_once(client, town, page, write):
    url, headers = town_url(page, town)
    before = cached(client, url, headers)
    shown, gone = write(town)
    assert shown not in before
    html = fresh(client, url, headers)
    assert shown in html
    if gone:
        assert gone not in html
    assert client.get(url, headers=headers)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("page", ["municipality", "project list", "neighbourhood"])
def test_the_towns_name_and_description_from_the_admin_show_at_once(client, town, page):
    municipality, _neighbourhood, _project, admin = town
    url, headers = town_url(page, town)
    cached(client, url, headers)
    municipality = Municipality.objects.get(pk=municipality.pk)
    municipality.name = "Musterstadt an der See"
    municipality.description = "Die Stadt am Meer."
    tenant_record_save(actor=admin, record=municipality)
    html = fresh(client, url, headers)
    assert "Musterstadt an der See" in html
    if page != "neighbourhood":
        assert "Die Stadt am Meer." in html


def test_a_neighbourhood_and_a_department_added_in_the_admin_show_on_the_town_page(client, town):
    municipality, _neighbourhood, _project, admin = town
    url = reverse("projects:municipality", args=[municipality.slug])
    cached(client, url)
    tenant_record_save(
        actor=admin, record=Neighbourhood(municipality=municipality, name="Südstadt", slug="sued")
    )
    tenant_record_save(
        actor=admin,
        record=Department(municipality=municipality, name="Grünflächenamt", phone="0421 123"),
    )
    html = fresh(client, url)
    assert "Südstadt" in html
    assert "0421 123" in html


def test_a_form_read_before_a_change_does_not_bring_an_old_page_back(client, town):
    """The admin saves the municipality it read before a project was created meanwhile."""
    municipality, _neighbourhood, _project, admin = town
    url = reverse("projects:municipality", args=[municipality.slug])
    stale = Municipality.objects.get(pk=municipality.pk)
    cached(client, url)
    _new_project(town)
    assert "Neuer Marktplatz" in cached(client, url)
    stale.name = "Musterstadt an der See"
    tenant_record_save(actor=admin, record=stale)
    html = fresh(client, url)
    assert "Musterstadt an der See" in html
    assert "Neuer Marktplatz" in html

from __future__ import annotations

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.selectors import ProjectFilters, project_get, project_list
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory, staff_of

pytestmark = pytest.mark.django_db


def test_list_shows_only_published_projects_to_the_public():
    town = MunicipalityFactory()
    published = ProjectFactory(municipality=town)
    ProjectFactory(municipality=town, is_published=False)
    assert list(project_list(municipality=town, user=AnonymousUser())) == [published]


@pytest.mark.parametrize("role", list(Role))
def test_list_agrees_with_the_view_rule(role):
    town = MunicipalityFactory()
    projects = [
        ProjectFactory(municipality=town),
        ProjectFactory(municipality=town, is_published=False),
    ]
    person = person_with_role(town, role)
    listed = set(project_list(municipality=town, user=person))
    assert listed == {p for p in projects if rules.test_rule("projects.can_view", person, p)}


def test_one_towns_staff_cannot_see_another_towns_drafts():
    town, other = MunicipalityFactory(), MunicipalityFactory()
    draft = ProjectFactory(municipality=other, is_published=False)
    staff = person_with_role(town, Role.STAFF)
    assert list(project_list(municipality=other, user=staff)) == []
    with pytest.raises(Http404):
        project_get(municipality=other, slug=draft.slug, user=staff)
    assert project_get(municipality=other, slug=draft.slug, user=staff_of(draft)) == draft


def test_a_project_is_found_only_in_its_own_town():
    project = ProjectFactory()
    with pytest.raises(Http404):
        project_get(municipality=MunicipalityFactory(), slug=project.slug, user=AnonymousUser())


def test_filters_combine():
    town = MunicipalityFactory()
    mobility, housing = TopicFactory(municipality=town), TopicFactory(municipality=town)
    north = NeighbourhoodFactory(municipality=town)
    hit = ProjectFactory(
        municipality=town, phase=PhaseKind.DIALOGUE, topic=mobility, neighbourhood=north
    )
    ProjectFactory(municipality=town, phase=PhaseKind.DECISION, topic=mobility, neighbourhood=north)
    ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE, topic=housing, neighbourhood=north)
    ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE, topic=mobility)
    filters = ProjectFilters(phase=PhaseKind.DIALOGUE, topic=mobility, neighbourhood=north)
    assert list(project_list(municipality=town, user=AnonymousUser(), filters=filters)) == [hit]


def test_list_carries_the_timeline_of_the_phases():
    project = ProjectFactory()
    PhaseFactory(
        project=project,
        kind=PhaseKind.INFORMATION,
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 2, 28),
    )
    PhaseFactory(
        project=project,
        kind=PhaseKind.DIALOGUE,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    (listed,) = project_list(municipality=project.municipality, user=AnonymousUser())
    assert listed.timeline_start == datetime.date(2026, 2, 1)
    assert listed.timeline_end == datetime.date(2026, 6, 30)

"""What each town's library shows: its own examples first, other public towns' published ones,
never another town's drafts; an id of another town is not found."""

from __future__ import annotations

import pytest
from django.http import Http404

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.practice.selectors import example_get, library, tags_in_use

from .factories import coordination_of, example

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    here, there, closed = MunicipalityFactory(), MunicipalityFactory(), MunicipalityFactory()
    Municipality.objects.filter(pk=closed.pk).update(is_public=False)
    made = {
        "here": example(here, title="Hier", year=2020, tags=["Garten"]),
        "here_draft": example(here, title="Hier Entwurf", is_published=False, tags=["Geheim"]),
        "there": example(there, title="Dort", year=2025, tags=["Spielplatz"]),
        "there_draft": example(there, title="Dort Entwurf", is_published=False),
        "closed": example(closed, title="Geschlossen", tags=["Zu"]),
    }
    return here, there, made


def _titles(examples):
    return [example.title for example in examples]


def test_a_visitor_sees_the_towns_examples_first_then_other_public_towns(towns):
    here, _there, _made = towns
    assert _titles(library(municipality=here, user=UserFactory())) == ["Hier", "Dort"]


def test_the_coordination_sees_its_own_drafts_never_another_towns(towns):
    here, _there, _made = towns
    shown = _titles(library(municipality=here, user=coordination_of(here)))
    assert shown == ["Hier Entwurf", "Hier", "Dort"]  # own first, latest year first
    assert "Dort Entwurf" not in shown
    assert "Geschlossen" not in shown


def test_only_here_and_by_tag(towns):
    here, _there, made = towns
    user = UserFactory()
    assert _titles(library(municipality=here, user=user, only_here=True)) == ["Hier"]
    spielplatz = made["there"].tags.get()
    assert _titles(library(municipality=here, user=user, tag=spielplatz)) == ["Dort"]
    assert _titles(library(municipality=here, user=user, tag=spielplatz, only_here=True)) == []


def test_the_filter_offers_only_tags_of_shown_examples(towns):
    here, _there, _made = towns
    names = list(tags_in_use(municipality=here, user=UserFactory()).values_list("name", flat=True))
    assert names == ["Garten", "Spielplatz"]


def test_an_example_is_found_only_under_its_own_town(towns):
    here, there, made = towns
    visitor = UserFactory()
    assert example_get(municipality=there, user=visitor, pk=made["there"].pk) == made["there"]
    with pytest.raises(Http404):
        example_get(municipality=here, user=visitor, pk=made["there"].pk)
    with pytest.raises(Http404):
        example_get(municipality=here, user=visitor, pk=made["here_draft"].pk)
    resident = person_with_role(here, Role.RESIDENT)
    with pytest.raises(Http404):
        example_get(municipality=here, user=resident, pk=made["here_draft"].pk)
    coordination = coordination_of(here)
    assert example_get(municipality=here, user=coordination, pk=made["here_draft"].pk)
    with pytest.raises(Http404):
        example_get(municipality=there, user=coordination, pk=made["there_draft"].pk)

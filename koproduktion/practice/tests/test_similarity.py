"""'Ähnliche Vorhaben': the ranking on a small library worked out by hand, in two queries."""

from __future__ import annotations

import pytest

from koproduktion.core.models import Municipality
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
)
from koproduktion.initiatives.tests.factories import initiative
from koproduktion.practice.models import Setting
from koproduktion.practice.similarity import (
    setting_of,
    similar_examples,
    subject_of_initiative,
    subject_of_project,
)
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import example

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    town = MunicipalityFactory()
    return ProjectFactory(
        municipality=town,
        title="Radweg an der Hafenallee",
        summary="Die Hafenallee bekommt einen sicheren Radweg für Schulkinder.",
        topic=TopicFactory(municipality=town, name="Mobilität", slug="mobilitaet"),
        neighbourhood=NeighbourhoodFactory(
            municipality=town, name="Altstadt", description="Fachwerk und Marktplatz."
        ),
    )


def test_the_ranking_worked_out_by_hand(project, django_assert_num_queries):
    other = MunicipalityFactory()
    closed = MunicipalityFactory()
    Municipality.objects.filter(pk=closed.pk).update(is_public=False)
    # Topic, words and place: first.
    tag_words_place = example(
        other,
        title="Sicherer Radweg zur Schule",
        problem="Schulkinder fuhren auf der Straße.",
        approach="Ein geschützter Radweg entlang der Allee.",
        tags=["Mobilität"],
        setting=Setting.CENTRE,
    )
    # Words alone: "Radweg", "sicher", "Hafenallee", "Schulkinder" recur; no tag, no place.
    words_only = example(
        project.municipality,
        title="Ein sicherer Radweg für die Hafenallee",
        problem="Schulkinder fahren auf der Hafenallee Rad.",
        approach="Zählung an drei Tagen.",
        setting=Setting.VILLAGE,
    )
    # The topic alone: third.
    tag_only = example(
        other,
        title="Mitfahrbänke",
        problem="Der Bus fährt selten.",
        approach="Bänke mit Schildern.",
        tags=["mobilitaet"],
        setting=Setting.VILLAGE,
    )
    # Only the place in common: no likeness.
    example(other, title="Sommerfest", problem="Feiern.", approach="Bierbänke.", setting="centre")
    # Never: a draft, a closed town's example, one that came from this very project.
    example(other, title="Radweg Entwurf", tags=["Mobilität"], is_published=False)
    example(closed, title="Radweg geschlossen", tags=["Mobilität"])
    example(project.municipality, title="Radweg Hafenallee", tags=["Mobilität"], project=project)

    with django_assert_num_queries(2):
        found = similar_examples(subject=subject_of_project(project))
    assert [item.example for item in found] == [tag_words_place, words_only, tag_only]
    assert found[0].reasons == ("topic", "words", "setting")
    assert found[1].reasons == ("words",)
    assert found[2].reasons == ("topic",)
    # Worked out: topic 2 + place 1 + 4 × 0.40 (cosine) = 4.6; words alone 4 × 0.73 = 2.9,
    # ahead of the topic alone (2): a close match in words weighs more than a shared tag.
    assert found[0].score == pytest.approx(4.6, abs=0.05)
    assert found[1].score == pytest.approx(2.93, abs=0.05)
    assert found[2].score == 2


def test_nothing_alike_shows_nothing(project, django_assert_num_queries):
    example(title="Bücherschrank", problem="Bücher tauschen.", approach="Ein alter Schrank.")
    with django_assert_num_queries(1):
        assert similar_examples(subject=subject_of_project(project)) == []


def test_an_initiative_finds_examples_on_its_topic():
    made = initiative(title="Repair-Café im Quartier", summary="Reparieren statt wegwerfen.")
    found_before = similar_examples(subject=subject_of_initiative(made))
    assert found_before == []
    repair = example(
        title="Reparieren im Repair-Café",
        problem="Geräte landeten im Müll.",
        approach="Einmal im Monat reparieren Ehrenamtliche mit den Gästen.",
    )
    assert [item.example for item in similar_examples(subject=subject_of_initiative(made))] == [
        repair
    ]


@pytest.mark.parametrize(
    ("name", "description", "setting"),
    [
        ("Oberdorf", "", Setting.VILLAGE),
        ("Altstadt", "", Setting.CENTRE),
        ("Nordstadt", "Wohnquartier der 1960er-Jahre", Setting.RESIDENTIAL),
        ("Am Hafen", "", Setting.RESIDENTIAL),
    ],
)
def test_the_kind_of_place_is_read_from_the_neighbourhood(name, description, setting):
    assert setting_of(NeighbourhoodFactory(name=name, description=description)) == setting
    assert setting_of(None) == Setting.WHOLE_TOWN

"""On PostgreSQL the search reads each source's GIN index (migration search.0001), stems German
and weighs titles: what makes it fast over a million comments and good at German."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.search import postgres, selectors
from koproduktion.search.registry import sources
from koproduktion.search.selectors import search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search"),
]


@pytest.mark.parametrize("source", sources(), ids=lambda source: source.key)
def test_each_source_is_matched_through_its_gin_index(source):
    """Each source's query, and each part's of a split index, reads the index made for it."""
    matched = postgres.matching(source.model.objects.all(), source, postgres.prepare("Radwege"))
    parts = postgres.parts(matched, source)
    names = [f"search_{source.key}_{n}" for n in range(len(parts))] if source.split else []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = [part.explain() for part in parts]

    for plan, name in zip(plans, names or [f"search_{source.key}"], strict=True):
        assert f"on {name} " in plan or plan.endswith(f"on {name}"), plan


def test_the_parts_of_a_split_index_hold_every_record_once():
    bounds = [number for low, high in postgres.SPLIT_PARTS for number in range(low, high + 1)]

    assert bounds == list(range(postgres.SPLIT_MODULUS))


def test_a_common_word_is_read_from_the_first_parts_of_a_split_index_only():
    """Over 200 ideas match in the first two parts (8 of every 64 by id): the 201 read come from
    there, the third part is not read, and the count says more than 200. A word in one idea of
    the third part alone is found all the same."""
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    author = IdeaFactory(project=project).author
    made = Idea.objects.bulk_create(
        Idea(municipality=town, project=project, author=author, title="Radweg", text=f"Nr. {n}")
        for n in range(64 * 30)
    )
    rare = next(idea for idea in made if idea.pk % postgres.SPLIT_MODULUS >= 8)
    Idea.objects.filter(pk=rare.pk).update(title="Holunderbusch")

    def ideas(text: str):
        results = search(municipality=town, user=AnonymousUser(), text=text)
        return next(kind for kind in results.kinds if kind.source.key == "idea")

    common = ideas("Radwege")
    assert common.more
    assert len(common.ranked) == selectors.CANDIDATES
    assert all(pk % postgres.SPLIT_MODULUS <= 7 for pk in common.ranked)
    assert ideas("Holunderbusch").ranked == [rare.pk]


def test_an_idea_about_spielplaetze_is_found_by_spielplatz_and_the_reverse():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    plural = IdeaFactory(project=project, title="Mehr Spielplätze", text="Im Park, bitte.")
    singular = IdeaFactory(project=project, title="Ein Spielplatz", text="Am Bahnhof.")

    for query, idea in (("Spielplatz", plural), ("Spielplätze", singular)):
        results = search(municipality=town, user=AnonymousUser(), text=query)
        ideas = next(kind for kind in results.kinds if kind.source.key == "idea")
        assert idea.pk in ideas.ranked, query


def test_the_headline_marks_every_form_of_the_word():
    town = MunicipalityFactory()
    IdeaFactory(
        project=ProjectFactory(municipality=town),
        title="Radwege für alle",
        text="Die Radwege sind schmal. Ein breiter Radweg hilft.",
    )

    results = search(municipality=town, user=AnonymousUser(), text="Radweg")
    hit = next(kind for kind in results.kinds if kind.source.key == "idea").hits[0]

    assert "<mark>Radwege</mark>" in hit.title
    assert "<mark>Radwege</mark>" in hit.snippet
    assert "<mark>Radweg</mark>" in hit.snippet

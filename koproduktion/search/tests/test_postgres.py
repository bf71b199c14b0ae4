"""On PostgreSQL the search reads each source's GIN index (migration search.0001), stems German
and weighs titles: what makes it fast over a million comments and good at German."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.search import postgres
from koproduktion.search.registry import sources
from koproduktion.search.selectors import search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search"),
]


@pytest.mark.parametrize("source", sources(), ids=lambda source: source.key)
def test_each_source_is_matched_through_its_gin_index(source):
    matched = postgres.matching(source.model.objects.all(), source, postgres.prepare("Radwege"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = matched.explain()

    assert f"search_{source.key}" in plan, plan


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

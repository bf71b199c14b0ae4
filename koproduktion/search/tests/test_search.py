"""The search finds what a person may see and nothing else, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.ideas.models import IdeaTerm
from koproduktion.ideas.similarity import idea_terms
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.search.registry import by_key, sources
from koproduktion.search.selectors import CANDIDATES, search

from .world import world

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def found(town, user, text, **kwargs):
    """The records found, as (kind, id), over every kind's ranking."""
    results = search(municipality=town, user=user or AnonymousUser(), text=text, **kwargs)
    return {(kind.source.key, pk) for kind in results.kinds for pk in kind.ranked}


def key(record) -> tuple[str, int]:
    kind = {
        "Project": "project",
        "Idea": "idea",
        "Comment": "comment",
        "Event": "event",
        "Decision": "decision",
        "Initiative": "initiative",
        "Organisation": "organisation",
        "PracticeExample": "practice_example",
        "SupportOffer": "support_offer",
    }[type(record).__name__]
    return kind, record.pk


PUBLIC = [
    "project",
    "idea",
    "comment",
    "event",
    "decision",
    "initiative",
    "organisation",
    "practice example",
    "support offer",
]
DRAFTS = ["draft project", "draft idea", "draft comment", "draft event", "draft decision"]
NEVER = ["hidden idea", "hidden comment", "comment of hidden idea", "unconfirmed organisation"]

# Who finds the draft project and everything in it, the unpublished event (and the drafts of the
# practice library and the support catalogue, which the coordination keeps), the draft initiative.
MATRIX = {
    "visitor": (False, False, False),
    "resident": (False, False, False),
    "initiator": (False, False, True),
    "staff elsewhere": (False, False, False),
    "staff of the draft": (True, False, False),
    "coordination": (True, True, False),
    "admin of another town": (False, False, False),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_each_person_finds_what_they_may_see_and_nothing_else(who):
    made = world()
    drafts, unpublished_event, draft_initiative = MATRIX[who]
    result = found(made.town, made.people[who], "Radweg")

    for name in PUBLIC:
        assert key(made.records[name]) in result, name
    for name in DRAFTS:
        assert (key(made.records[name]) in result) == drafts, name
    for name in ("unpublished event", "draft practice example", "draft support offer"):
        assert (key(made.records[name]) in result) == unpublished_event, name
    assert (key(made.records["draft initiative"]) in result) == draft_initiative
    for name in NEVER:
        assert key(made.records[name]) not in result, name


def test_another_towns_records_are_never_found():
    made = world()
    other = MunicipalityFactory()
    theirs = IdeaFactory(project=ProjectFactory(municipality=other), title="Radweg anderswo")

    assert found(other, made.people["coordination"], "Radweg") == {key(theirs)}
    assert key(theirs) not in found(made.town, made.people["coordination"], "Radweg")


def test_radwege_finds_radweg():
    town = MunicipalityFactory()
    idea = IdeaFactory(project=ProjectFactory(municipality=town), title="Ein sicherer Radweg")

    assert ("idea", idea.pk) in found(town, None, "Radwege")
    assert ("idea", idea.pk) in found(town, None, "radwegen")


def test_spielplaetze_finds_spielplatz():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town, title="Neuer Spielplatz", summary="Für alle.")

    assert ("project", project.pk) in found(town, None, "Spielplätze")


def test_an_idea_says_spielplaetze_and_spielplatz_finds_it():
    """On PostgreSQL by its stems; on SQLite by the stems the idea services store."""
    town = MunicipalityFactory()
    idea = IdeaFactory(
        project=ProjectFactory(municipality=town), title="Mehr Spielplätze", text="Im Park."
    )
    for stem, count in idea_terms(idea.title, idea.text).items():
        IdeaTerm.objects.create(
            municipality=town, idea=idea, project=idea.project, stem=stem, count=count
        )

    assert ("idea", idea.pk) in found(town, None, "Spielplatz")


def test_a_title_match_ranks_above_a_match_in_the_text():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    in_text = IdeaFactory(project=project, title="Mehr Grün", text="Ein Radweg am Rand.")
    in_title = IdeaFactory(project=project, title="Radweg am Markt", text="Mehr Grün.")
    older_in_title = IdeaFactory(project=project, title="Der Radweg", text="Mehr Grün.")
    in_text.save()  # the newest of all still ranks last

    results = search(municipality=town, user=AnonymousUser(), text="Radweg")
    ranked = results.kinds[[s.key for s in sources()].index("idea")].ranked

    assert ranked.index(in_title.pk) < ranked.index(in_text.pk)
    assert ranked.index(older_in_title.pk) < ranked.index(in_text.pk)


def test_a_project_filter_finds_only_that_projects_records():
    made = world()
    other = ProjectFactory(municipality=made.town, title="Anderes")
    elsewhere = IdeaFactory(project=other, title="Radweg anderswo")

    result = found(made.town, None, "Radweg", project=made.public)

    assert key(made.records["idea"]) in result
    assert key(elsewhere) not in result
    assert key(made.records["organisation"]) not in result  # no project


@pytest.mark.parametrize(
    "text", ['"', "&", "|", "!", ":*", "(", "'", "\\", "%", "_", "!!", "-", "%%", "_%_"]
)
def test_search_syntax_alone_finds_nothing(text):
    made = world()

    # "%" and "_" are no wildcards: as LIKE patterns they would match every record.
    assert found(made.town, None, text) == set()


@pytest.mark.parametrize(
    "text",
    [
        '"Radweg',
        "Radweg)",
        "(Radweg",
        "Radweg:*",
        "'Radweg'",
        "Radweg & !",
        "Radweg | (",
        "Radweg\\",
        "Radweg%",
        "<Radweg>",
        "Radweg !!",
    ],
)
def test_search_syntax_around_a_word_still_finds_it(text):
    made = world()

    assert key(made.records["idea"]) in found(made.town, None, text)


def test_more_than_the_candidates_are_counted_as_more():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    idea = IdeaFactory(project=project, title="Die Bank am Teich")
    CommentFactory.create_batch(CANDIDATES + 1, idea=idea, text="Eine Bank mehr")

    results = search(municipality=town, user=AnonymousUser(), text="Bank", source=by_key("comment"))
    comments = next(kind for kind in results.kinds if kind.source.key == "comment")

    assert comments.count == CANDIDATES
    assert comments.more
    assert results.page.paginator.num_pages == CANDIDATES // 20


def test_snippets_mark_the_words_found_and_escape_everything_else():
    town = MunicipalityFactory()
    IdeaFactory(
        project=ProjectFactory(municipality=town),
        title="Radweg <b>fett</b>",
        text="Vorne etwas. Ein <script>alert(1)</script> sicherer Radweg & mehr.",
    )

    results = search(municipality=town, user=AnonymousUser(), text="Radwege")
    hit = next(kind for kind in results.kinds if kind.source.key == "idea").hits[0]

    assert "<mark>Radweg</mark>" in hit.title
    assert "&lt;b&gt;fett&lt;/b&gt;" in hit.title
    assert "<mark>Radweg</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&amp;" in hit.snippet


def test_every_source_builds_its_url_without_a_query(django_assert_num_queries):
    made = world()
    results = search(municipality=made.town, user=made.people["coordination"], text="Radweg")
    hits = [hit for kind in results.kinds for hit in kind.hits]
    assert {hit.source.key for hit in hits} == {source.key for source in sources()}

    with django_assert_num_queries(0):
        urls = [hit.source.url(hit.record, made.town) for hit in hits]
        [hit.source.context(hit.record) for hit in hits]

    assert all(url.startswith("/musterstadt/") for url in urls)


@pytest.mark.skipif(not POSTGRES, reason="the operators of websearch_to_tsquery: PostgreSQL")
def test_websearch_operators_exclude_and_join():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    bike = IdeaFactory(project=project, title="Radweg an der Schule")
    car = IdeaFactory(project=project, title="Radweg und Parkplatz")

    assert ("idea", car.pk) not in found(town, None, "Radweg -Parkplatz")
    assert ("idea", bike.pk) in found(town, None, "Radweg -Parkplatz")
    assert ("idea", bike.pk) in found(town, None, "Parkplatz or Schule")
    assert ("idea", bike.pk) in found(town, None, "Schule Radweg")
    assert ("idea", bike.pk) not in found(town, None, '"Schule Radweg"')

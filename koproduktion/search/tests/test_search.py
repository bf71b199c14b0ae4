"""The search finds what a person may see and nothing else, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from koproduktion.core import kept
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_revoke, role_grant
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.ideas.models import IdeaTerm
from koproduktion.ideas.similarity import idea_terms
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.search import plans, postgres, selectors
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


def test_a_visitors_search_kept_for_a_minute_never_shows_what_was_hidden_since(monkeypatch):
    """A visitor's ranking is kept for ``RANKING_SECONDS``: a new idea shows in visitors'
    searches after that, at once for people logged in; a hidden one leaves every page at
    once, because the records shown are read through the visibility again."""
    made = world()
    idea = made.records["idea"]

    def shown(user=None) -> set[int]:
        results = search(municipality=made.town, user=user or AnonymousUser(), text="Radweg")
        return {
            hit.record.pk
            for kind in results.kinds
            if kind.source.key == "idea"
            for hit in kind.hits
        }

    assert idea.pk in shown()
    type(idea).objects.filter(pk=idea.pk).update(hidden_at=made.public.created_at)
    assert idea.pk not in shown()

    new = IdeaFactory(project=made.public, title="Radweg zum Bahnhof", text="Neu.")
    assert new.pk not in shown()
    assert new.pk in shown(made.people["resident"])
    later = kept.time.monotonic() + selectors.RANKING_SECONDS + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    assert new.pk in shown()


PEOPLE = (
    "visitor",
    "resident",
    "initiator",
    "staff of the draft",
    "staff elsewhere",
    "coordination",
    "admin of another town",
    "platform admin",
)


def _person(made, name):
    if name == "platform admin":
        return UserFactory(is_superuser=True)
    return made.people[name] or AnonymousUser()


@pytest.mark.skipif(not POSTGRES, reason="the compiled plan is PostgreSQL's")
@pytest.mark.parametrize("name", PEOPLE)
def test_a_compiled_ranking_finds_what_the_query_built_afresh_finds(name):
    made = world()
    person = _person(made, name)
    for project in (None, made.public, made.draft):
        for text in ("Radweg", "Radweg -Idee", '"Radweg Kommentar"', "Fluss or Verein"):
            built = [
                (index, query)
                for index, each in enumerate(sources())
                if (query := selectors._candidates(each, made.town, person, project, text))
                is not None
            ]
            afresh = sorted(plans.union(built))
            plan = plans.ranking_plan(made.town, person, project, selectors._candidates)
            planned = sorted(plan.rows({plans.PLACEHOLDER: text}))
            assert planned == afresh, (project, text)
            assert planned or text == "Fluss or Verein" or project == made.draft


@pytest.mark.skipif(not POSTGRES, reason="the compiled plan is PostgreSQL's")
@pytest.mark.parametrize("name", PEOPLE)
def test_hits_from_a_compiled_plan_are_those_the_query_built_afresh_reads(
    name, django_assert_num_queries
):
    made = world()
    person = _person(made, name)
    for project in (None, made.public):
        for text in ("Radweg", '"Radweg Kommentar"', "Radweg -Idee"):
            kinds = selectors._ranked_kinds(made.town, made.people["coordination"], project, text)
            for kind in kinds:
                source, ids = kind.source, kind.ranked
                if not ids:
                    continue
                afresh = postgres.with_headlines(
                    selectors._scoped(source, made.town, person, project)
                    .filter(pk__in=ids)
                    .select_related(*source.related),
                    source,
                    postgres.prepare(text),
                )
                plan = plans.records_plan(source, made.town, person, project, selectors._scoped)
                with django_assert_num_queries(1):  # the related records come with them
                    planned = plan.records({plans.IDS.format(0): ids, plans.PLACEHOLDER: text})
                    shown = [
                        (source.url(r, made.town), source.context and source.context(r))
                        for r in planned
                    ]
                expected = sorted(
                    (
                        r.pk,
                        postgres.display(r, source, postgres.prepare(text)),
                        source.url(r, made.town),
                        source.context and source.context(r),
                    )
                    for r in afresh
                )
                got = sorted(
                    (r.pk, postgres.display(r, source, postgres.prepare(text)), *where)
                    for r, where in zip(planned, shown, strict=True)
                )
                assert got == expected, (source.key, project, text)
                assert all(type(r) is source.model for r in planned)


def _found(made, person, text="Radweg"):
    results = search(municipality=made.town, user=person, text=text)
    return {(kind.source.key, hit.record.pk) for kind in results.kinds for hit in kind.hits}


def test_a_persons_search_follows_a_role_given_and_taken_at_once():
    made = world()
    person = made.people["resident"]
    draft = ("project", made.draft.pk)
    assert draft not in _found(made, person)

    admin = person_with_role(made.town, Role.ADMIN)
    membership = role_grant(
        actor=admin, municipality=made.town, user=person, role=Role.COORDINATION
    )
    person = type(person).objects.get(pk=person.pk)  # the next request loads them again
    assert draft in _found(made, person)

    membership_revoke(actor=admin, membership=membership, reason="Aufgabe beendet")
    person = type(person).objects.get(pk=person.pk)
    assert draft not in _found(made, person)


def test_an_initiators_draft_is_found_by_them_alone():
    made = world()
    draft = ("initiative", made.records["draft initiative"].pk)

    assert draft in _found(made, made.people["initiator"], "Initiative")
    assert draft not in _found(made, made.people["resident"], "Initiative")
    assert draft not in _found(made, AnonymousUser(), "Initiative")


@pytest.mark.skipif(not POSTGRES, reason="the compiled plan is PostgreSQL's")
def test_a_persons_visibility_with_a_moment_is_searched_afresh(monkeypatch):
    made = world()
    person = made.people["resident"]
    real = selectors._scoped

    def with_a_moment(source, municipality, user, project):
        query = real(source, municipality, user, project)
        if source.key == "idea" and getattr(user, "is_authenticated", False):
            query = query.filter(created_at__lte=timezone.now())
        return query

    monkeypatch.setattr(selectors, "_scoped", with_a_moment)
    with pytest.raises(plans.MomentInPlan):
        plans.ranking_plan(made.town, person, None, selectors._candidates)
    assert ("idea", made.records["idea"].pk) in _found(made, person)
    assert ("idea", made.records["idea"].pk) in _found(made, AnonymousUser())


@pytest.mark.skipif(not POSTGRES, reason="plans are PostgreSQL's; SQLite gets dates as text")
def test_a_plan_refuses_a_moment_it_would_keep():
    with pytest.raises(ImproperlyConfigured, match="moment"):
        plans.Plan.of(Project.objects.filter(created_at__lt=timezone.now()))

"""What the search keeps and compiles: visitors' rankings kept a minute, the plans compiled
once per town, project and viewer (``search.plans``), against the queries built afresh."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from koproduktion.actors.services import (
    organisation_profile_update,
    organisation_propose,
    representation_request_accept,
)
from koproduktion.core import kept
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_revoke, role_grant
from koproduktion.core.tests.factories import UserFactory, person_with_role
from koproduktion.decisions.models import Body, Outcome
from koproduktion.decisions.services.records import decision_record
from koproduktion.ideas.services import idea_create
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.models import Project
from koproduktion.search import plans, postgres, selectors
from koproduktion.search.registry import sources
from koproduktion.search.selectors import search

from .world import world

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def test_a_visitors_search_kept_for_a_minute_never_shows_what_was_hidden_since(monkeypatch):
    """A visitor's ranking is kept for ``RANKING_SECONDS``: a new idea shows in visitors'
    searches after that, and in a resident's, who sees ideas as visitors do; a hidden one
    leaves every page at once, because the records shown are read through the visibility
    again."""
    made = world()
    idea = made.records["idea"]
    resident = made.people["resident"]

    assert idea.pk in _ideas_found(made)
    type(idea).objects.filter(pk=idea.pk).update(hidden_at=made.public.created_at)
    assert idea.pk not in _ideas_found(made)
    assert idea.pk not in _ideas_found(made, resident)

    new = IdeaFactory(project=made.public, title="Radweg zum Bahnhof", text="Neu.")
    assert new.pk not in _ideas_found(made)
    assert new.pk not in _ideas_found(made, resident)
    _a_minute_later(monkeypatch)
    assert new.pk in _ideas_found(made)
    assert new.pk in _ideas_found(made, resident)


def test_who_has_just_written_an_idea_finds_it_at_once():
    made = world()
    resident, neighbour = made.people["resident"], person_with_role(made.town, Role.RESIDENT)
    assert made.records["idea"].pk in _ideas_found(made, resident)  # the ranking is kept now

    new = idea_create(
        actor=resident, project=made.public, title="Radweg zum Bahnhof", text="Bitte breiter."
    )
    assert new.pk in _ideas_found(made, resident)
    assert new.pk not in _ideas_found(made, neighbour)
    assert new.pk not in _ideas_found(made)


def test_a_council_clerk_who_has_just_recorded_a_decision_finds_it_at_once():
    made = world()
    type(made.town).objects.filter(pk=made.town.pk).update(council_records_decisions=True)
    made.town.refresh_from_db()
    clerk = person_with_role(made.town, Role.CLERK)
    decisions = next(i for i, each in enumerate(sources()) if each.key == "decision")
    assert decisions in plans.visitors_kinds(made.town, clerk, None, selectors._scoped)
    assert ("decision", made.records["decision"].pk) in _found(made, clerk)  # kept now

    recorded = decision_record(
        actor=clerk,
        municipality=made.town,
        title="Radweg an der Schule",
        body=Body.COUNCIL,
        decided_on=datetime.date(2026, 11, 30),
        outcome=Outcome.ADOPTED,
        reasons="Einstimmig.",
    )
    assert ("decision", recorded.pk) in _found(made, clerk)
    assert ("decision", recorded.pk) not in _found(made, AnonymousUser())


def test_a_representative_who_has_just_changed_their_profile_finds_it_at_once():
    made = world()
    representative = person_with_role(made.town, Role.RESIDENT)
    request = organisation_propose(
        actor=representative, municipality=made.town, name="Radweg-Initiative Süd", message="Ich."
    )
    representation_request_accept(
        actor=person_with_role(made.town, Role.ADMIN), representation_request=request
    )
    organisation = type(request.organisation).objects.get(pk=request.organisation_id)
    assert ("organisation", organisation.pk) not in _found(made, representative, "Lastenrad")

    organisation_profile_update(
        actor=representative, organisation=organisation, description="Wir leihen ein Lastenrad aus."
    )
    assert ("organisation", organisation.pk) in _found(made, representative, "Lastenrad")
    assert ("organisation", organisation.pk) not in _found(made, AnonymousUser(), "Lastenrad")


def _ideas_found(made, user=None) -> set[int]:
    results = search(municipality=made.town, user=user or AnonymousUser(), text="Radweg")
    return {
        hit.record.pk for kind in results.kinds if kind.source.key == "idea" for hit in kind.hits
    }


def _a_minute_later(monkeypatch) -> None:
    later = kept.time.monotonic() + selectors.RANKING_SECONDS + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)


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


EVERY = frozenset(range(len(sources())))
LIMIT = selectors.CANDIDATES + 1


def _person(made, name):
    if name == "platform admin":
        return UserFactory(is_superuser=True)
    return made.people[name] or AnonymousUser()


@pytest.mark.parametrize("name", PEOPLE)
def test_the_kinds_a_person_sees_as_visitors_do_find_what_visitors_find(name):
    """A person takes these kinds' ranking from the visitors' (``_visitors_kinds``); the
    kinds where they see more than visitors are never among them."""
    made = world()
    person = _person(made, name)
    for project in (None, made.public, made.draft):
        shared = plans.visitors_kinds(made.town, person, project, selectors._scoped)
        theirs = selectors._rows(made.town, person, project, "Radweg", EVERY)
        visitors = selectors._rows(made.town, AnonymousUser(), project, "Radweg", EVERY)
        for index in shared:
            assert sorted(theirs[index]) == sorted(visitors[index]), (sources()[index].key, project)
        keys = {sources()[index].key for index in shared}
        if name == "visitor":
            assert keys == {each.key for each in sources()}
        elif name in ("resident", "initiator"):
            assert {"idea", "comment", "project"} <= keys
            assert project is not None or "initiative" not in keys  # their drafts
        elif name in ("staff of the draft", "coordination", "platform admin"):
            assert not {"project", "idea", "comment"} & keys  # the draft's


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
            # A rank is PostgreSQL's ``real``: alone it reads as 0.6079271, in the plan's UNION
            # with the other kinds as a ``double precision`` (0.6079270839691162).
            afresh = sorted(
                (index, pk, round(rank, 6))
                for index, query in built
                for pk, rank in query[: selectors.CANDIDATES + 1]
            )
            plan = plans.ranking_plan(
                made.town, person, project, selectors._candidates, EVERY, limit=LIMIT
            )
            planned = sorted(
                (index, pk, round(rank, 6))
                for index, pk, rank in plan.rows({plans.PLACEHOLDER: text})
            )
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
            kinds = selectors._ranked_kinds(
                made.town, made.people["coordination"], project, text, frozenset()
            )
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
        plans.ranking_plan(made.town, person, None, selectors._candidates, EVERY, limit=LIMIT)
    assert ("idea", made.records["idea"].pk) in _found(made, person)
    assert ("idea", made.records["idea"].pk) in _found(made, AnonymousUser())


@pytest.mark.skipif(not POSTGRES, reason="plans are PostgreSQL's; SQLite gets dates as text")
def test_a_plan_refuses_a_moment_it_would_keep():
    with pytest.raises(ImproperlyConfigured, match="moment"):
        plans.Plan.of(Project.objects.filter(created_at__lt=timezone.now()))

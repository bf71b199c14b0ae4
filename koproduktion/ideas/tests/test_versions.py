"""What each write of an idea or its discussion renews: the list of every service and the
versions it raises (ideas.versions), and what visitors and logged-in people see of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Idea, IdeaStatus
from koproduktion.ideas.services import (
    contributor_names_clear,
    idea_create,
    idea_merge,
    idea_set_cost,
    idea_set_status,
    idea_support,
    idea_unsupport,
    idea_update,
    idea_withdraw,
)
from koproduktion.moderation.services import contribution_hide, contribution_restore
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.page_cache_support import cached, fresh, project_url

from .factories import resident_of

pytestmark = pytest.mark.django_db

PROJECT, COUNTS, IDEA, OTHER_IDEA = "project", "counts", "idea", "other idea"


@pytest.fixture
def ideas():
    """Two ideas of a project in its dialogue phase, written by Lena: (a, b, lena)."""
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    lena = resident_of(project)
    a = idea_create(actor=lena, project=project, title="Bänke am Hafen", text="Mehr Sitzplätze.")
    b = idea_create(actor=lena, project=project, title="Trinkbrunnen", text="Wasser am Spielplatz.")
    return a, b, lena


def _versions(a: Idea, b: Idea) -> dict[str, int]:
    project = Project.objects.get(pk=a.project_id)
    return {
        PROJECT: project.content_version,
        COUNTS: project.activity_version,
        IDEA: Idea.objects.get(pk=a.pk).content_version,
        OTHER_IDEA: Idea.objects.get(pk=b.pk).content_version,
    }


def _staff(idea: Idea):
    return person_with_role(idea.municipality, Role.STAFF)


def _moderator(idea: Idea):
    return person_with_role(idea.municipality, Role.MODERATOR)


def _comment(a: Idea) -> None:
    comment_create(actor=resident_of(a.project), idea=a, text="Gute Idee.")


def _support(a: Idea) -> None:
    idea_support(actor=resident_of(a.project), idea=a)


def _support_reaching_the_quorum(a: Idea) -> None:
    a.project.municipality.support_quorum = 1
    a.project.municipality.save()
    idea_support(actor=resident_of(a.project), idea=a)


def _unsupport(a: Idea) -> None:
    person = resident_of(a.project)
    idea_support(actor=person, idea=a)
    idea_unsupport(actor=person, idea=Idea.objects.get(pk=a.pk))


def _new_idea(a: Idea) -> None:
    idea_create(
        actor=resident_of(a.project), project=a.project, title="Neue Idee", text="Neu hier, bitte."
    )


def _edit(a: Idea) -> None:
    idea_update(actor=a.author, idea=a, title="Bänke am Hafen, bitte", text="Mehr Sitzplätze.")


def _withdraw(a: Idea) -> None:
    idea_withdraw(actor=a.author, idea=a)


def _status(a: Idea) -> None:
    idea_set_status(actor=_staff(a), idea=a, status=IdeaStatus.UNDER_REVIEW)


def _cost(a: Idea) -> None:
    idea_set_cost(actor=_staff(a), idea=a, cost_cents=120_000)


def _merge(a: Idea) -> None:
    # The other idea of the fixture merged into this one: its supports arrive here.
    coordination = person_with_role(a.municipality, Role.COORDINATION)
    duplicate = Idea.objects.exclude(pk=a.pk).get(project=a.project)
    idea_merge(actor=coordination, duplicate=duplicate, original=a)


def _hide_idea(a: Idea) -> None:
    contribution_hide(moderator=_moderator(a), idea=a, reason="Regel 2")


def _hide_comment(a: Idea) -> None:
    comment = comment_create(actor=resident_of(a.project), idea=a, text="Unfreundlich.")
    before = _versions(a, a)
    contribution_hide(moderator=_moderator(a), comment=comment, reason="Regel 3")
    assert _versions(a, a)[PROJECT] == before[PROJECT] + 1


def _restore_idea(a: Idea) -> None:
    contribution_hide(moderator=_moderator(a), idea=a, reason="Regel 2")
    contribution_restore(moderator=_moderator(a), idea=Idea.objects.get(pk=a.pk), reason="Irrtum")


def _names_cleared(a: Idea) -> None:
    Idea.objects.filter(pk=a.pk).update(contributor_name="Frau M.")
    contributor_names_clear(contributions=Idea.objects.filter(pk=a.pk))


# Every service of ideas and comments, and what it renews. A raised project version renews every
# page of the project, every idea's too; a raised idea version only that idea's pages; the counts
# only the lists that keep counts with them (the API's, the list ordered by supports).
WHAT_EACH_WRITE_RENEWS: list[tuple[Callable[[Idea], None], set[str]]] = [
    (_comment, {IDEA, COUNTS}),
    (_support, {IDEA, COUNTS}),
    (_unsupport, {IDEA, COUNTS}),
    (_support_reaching_the_quorum, {IDEA, COUNTS, PROJECT}),
    (_new_idea, {PROJECT}),
    (_edit, {IDEA, PROJECT}),
    (_withdraw, {IDEA, PROJECT}),
    (_status, {IDEA, PROJECT}),
    (_cost, {IDEA}),
    (_merge, {IDEA, OTHER_IDEA, COUNTS, PROJECT}),
    (_hide_idea, {PROJECT}),
    (_hide_comment, {IDEA, COUNTS, PROJECT}),  # the comment's creation, then its hiding
    (_restore_idea, {PROJECT}),
    (_names_cleared, {PROJECT}),
]


@pytest.mark.parametrize(
    ("write", "renewed"), WHAT_EACH_WRITE_RENEWS, ids=lambda v: getattr(v, "__name__", "")
)
def test_each_write_raises_the_versions_of_what_it_shows_on(ideas, write, renewed):
    a, b, _lena = ideas
    before = _versions(a, b)
    write(Idea.objects.select_related("project__municipality", "author").get(pk=a.pk))
    after = _versions(a, b)
    assert {name for name in before if after[name] != before[name]} == renewed
    # Only a merge renews two ideas: the duplicate and its original.
    assert OTHER_IDEA not in renewed or write is _merge


def _url(name: str, idea: Idea, query: str = "") -> str:
    project = idea.project
    args = [project.municipality.slug, project.slug] + ([idea.pk] if name == "ideas:detail" else [])
    return reverse(name, args=args) + query


def test_a_comment_on_one_idea_leaves_every_other_page_of_the_project_cached(client, ideas):
    a, b, lena = ideas
    pages = [_url("ideas:detail", b), _url("ideas:list", a), project_url(a.project)]
    for url in [*pages, _url("ideas:detail", a)]:
        cached(client, url)
    author = Client()
    author.force_login(lena)
    author.post(
        reverse("ideas:comment", args=[a.project.municipality.slug, a.project.slug, a.pk]),
        {"text": "Auch mit Schatten, bitte.", "stance": "pro"},
    )
    # The author sees it at once; so does every visitor of that idea's page.
    assert "Auch mit Schatten, bitte." in author.get(_url("ideas:detail", a)).content.decode()
    assert "Auch mit Schatten, bitte." in fresh(client, _url("ideas:detail", a))
    # Every other page is served from the cache as it was; the list with the new count in it.
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
    listing = client.get(_url("ideas:list", a)).content.decode()
    card = listing[listing.index("Bänke am Hafen") :]
    assert "1 Kommentar<" in card[: card.index("</li>")]


def test_a_cached_page_costs_its_version_and_new_counts_one_query_more(
    client, ideas, django_assert_num_queries
):
    a, b, _lena = ideas
    for page in (_url("ideas:list", a), _url("ideas:detail", b)):
        cached(client, page)
        with django_assert_num_queries(1):
            assert client.get(page)["X-Page-Cache"] == "hit"
    _comment(a)
    # The list kept with its holes is filled with the new counts (one query), not rendered;
    # then that copy is served as it is.
    for queries in (2, 1):
        with django_assert_num_queries(queries):
            response = client.get(_url("ideas:list", a))
        assert response["X-Page-Cache"] == "hit"
        assert "1 Kommentar<" in response.content.decode()


def test_a_support_shows_at_once_to_the_supporter_and_to_visitors(client, ideas):
    a, _b, _lena = ideas
    cached(client, _url("ideas:list", a))
    ben = resident_of(a.project)
    supporter = Client()
    supporter.force_login(ben)
    supporter.get(_url("ideas:list", a))  # the shared part of the list is kept now
    idea_support(actor=ben, idea=a)
    mine = supporter.get(_url("ideas:list", a)).content.decode()
    assert mine.count("Sie unterstützen diese Idee.") == 1
    assert "1 Unterstützung<" in mine
    visitors = client.get(_url("ideas:list", a))
    assert visitors["X-Page-Cache"] == "hit"
    assert "1 Unterstützung<" in visitors.content.decode()
    assert "Sie unterstützen diese Idee." not in visitors.content.decode()


def test_the_list_ordered_by_supports_follows_each_support(client, ideas):
    a, _b, _lena = ideas
    url = _url("ideas:list", a, "?sortierung=unterstuetzt")
    html = cached(client, url)
    assert html.index("Trinkbrunnen") < html.index("Bänke am Hafen")
    idea_support(actor=resident_of(a.project), idea=a)
    html = fresh(client, url)
    assert html.index("Bänke am Hafen") < html.index("Trinkbrunnen")


def test_moderation_and_status_show_at_once_on_the_list(client, ideas):
    a, b, _lena = ideas
    cached(client, _url("ideas:list", a))
    contribution_hide(moderator=_moderator(a), idea=a, reason="Regel 2")
    html = fresh(client, _url("ideas:list", a))
    assert "Bänke am Hafen" not in html
    assert "Regel 2" in html
    assert client.get(_url("ideas:list", a))["X-Page-Cache"] == "hit"
    idea_set_status(actor=_staff(b), idea=b, status=IdeaStatus.UNDER_REVIEW)
    assert "in Prüfung" in fresh(client, _url("ideas:list", a))


def test_the_counts_are_translated_with_the_page(client, ideas):
    a, _b, _lena = ideas
    _comment(a)
    client.get(reverse("language", args=["en"]), {"next": "/"})
    html = cached(client, _url("ideas:list", a))
    assert "1 comment<" in html
    assert "0 supporters<" in html


def test_an_idea_number_no_database_takes_is_a_404(client, ideas):
    a, _b, _lena = ideas
    project = a.project
    huge = 10**20
    page = reverse("ideas:detail", args=[project.municipality.slug, project.slug, huge])
    api = f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/ideas"
    for url in (page, f"{api}/{huge}", f"{api}/{huge}/comments"):
        assert client.get(url).status_code == 404

"""The discussion on the idea page: the same work for two comments or two thousand, the rest of a
long thread a page at a time, with or without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.dialogue.selectors import REPLIES_PER_PAGE, REPLIES_SHOWN, THREADS_PER_PAGE
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory, resident_of
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _idea_url(idea, **query):
    project = idea.project
    url = reverse("ideas:detail", args=[project.municipality.slug, project.slug, idea.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _thread_url(idea, thread):
    project = idea.project
    return reverse(
        "ideas:thread", args=[project.municipality.slug, project.slug, idea.pk, thread.pk]
    )


def _thread(idea, replies: int, *, stance=Stance.NEUTRAL):
    """A top-level comment with ``replies`` replies, nested as people reply to replies."""
    top = CommentFactory(idea=idea, stance=stance, text=f"Oben {idea.pk}")
    written = [top]
    for n in range(replies):
        parent = written[n // 2]  # to the top, then to replies: depths 1 to 3
        written.append(
            CommentFactory(
                idea=idea,
                parent=parent,
                depth=min(parent.depth + 1, 3),
                text=f"Antwort {n + 1} im Faden {top.pk}",
            )
        )
    return top


def _shown_comments(html: str) -> list[str]:
    return re.findall(r'id="kommentar-(\d+)"', html)


@pytest.fixture
def busy_project():
    """A quiet idea (one comment) and a busy one (more threads than a page, long threads)."""
    project = ProjectFactory()
    quiet, busy = IdeaFactory(project=project), IdeaFactory(project=project)
    _thread(quiet, 0)
    for n in range(THREADS_PER_PAGE + 2):
        _thread(busy, 60 if n == 0 else 5, stance=Stance.PRO if n % 2 else Stance.CONTRA)
    return project, quiet, busy


def test_a_page_shows_each_thread_with_its_first_replies_and_a_link_to_the_rest(
    client, busy_project
):
    _project, _quiet, busy = busy_project
    html = client.get(_idea_url(busy)).content.decode()
    assert len(_shown_comments(html)) == THREADS_PER_PAGE * (1 + REPLIES_SHOWN)
    first = Comment.objects.filter(idea=busy, depth=0).order_by("created_at", "pk").first()
    # The first three replies in reading order: each directly followed by its own replies.
    shown = Comment.objects.filter(thread=first, position__lte=REPLIES_SHOWN).order_by("position")
    ids = [str(c.pk) for c in shown]
    assert ids[0] == str(first.pk)
    start = _shown_comments(html).index(ids[0])
    assert sorted(_shown_comments(html)[start : start + 4]) == sorted(ids)
    more = f"{_thread_url(busy, first)}?ab={REPLIES_SHOWN}"
    assert f'href="{more}"' in html
    assert f'hx-get="{more}"' in html
    assert f"{60 - REPLIES_SHOWN} weitere Antworten zeigen" in html


def test_the_rest_of_a_thread_a_page_at_a_time_without_javascript(client, busy_project):
    _project, _quiet, busy = busy_project
    first = Comment.objects.filter(idea=busy, depth=0).order_by("created_at", "pk").first()
    response = client.get(f"{_thread_url(busy, first)}?ab={REPLIES_SHOWN}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" in html
    assert "<main" in html
    positions = dict(Comment.objects.filter(thread=first).values_list("pk", "position"))
    shown = [positions[int(pk)] for pk in _shown_comments(html)]
    # The thread's top for context, then the replies up to the page's end.
    assert shown[0] == 0
    assert sorted(shown[1:]) == list(range(REPLIES_SHOWN + 1, REPLIES_PER_PAGE + 1))
    assert f'href="{_thread_url(busy, first)}?ab={REPLIES_PER_PAGE}"' in html
    last = client.get(f"{_thread_url(busy, first)}?ab={REPLIES_PER_PAGE}").content.decode()
    assert sorted(positions[int(pk)] for pk in _shown_comments(last))[1:] == list(
        range(REPLIES_PER_PAGE + 1, 61)
    )
    assert "weitere Antwort" not in last


def test_htmx_gets_the_replies_alone_to_put_in_place_of_the_link(client, busy_project):
    _project, _quiet, busy = busy_project
    first = Comment.objects.filter(idea=busy, depth=0).order_by("created_at", "pk").first()
    response = client.get(f"{_thread_url(busy, first)}?ab={REPLIES_SHOWN}", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith("<li")
    assert len(_shown_comments(html)) == REPLIES_PER_PAGE - REPLIES_SHOWN
    assert str(first.pk) not in _shown_comments(html)
    assert "HX-Request" in response["Vary"]


def test_a_thread_is_only_read_through_its_own_idea(client, busy_project):
    _project, quiet, busy = busy_project
    first = Comment.objects.filter(idea=busy, depth=0).first()
    reply = Comment.objects.filter(thread=first, depth=1).first()
    assert client.get(_thread_url(quiet, first)).status_code == 404
    assert client.get(_thread_url(busy, reply)).status_code == 404
    # A position past the end, or spelled otherwise, is shown (empty) but is no error.
    assert client.get(f"{_thread_url(busy, first)}?ab=99999999999999999999").status_code == 200
    assert client.get(f"{_thread_url(busy, first)}?ab=x").status_code == 200


def test_the_page_shows_the_text_rendered_when_it_was_saved(client, busy_project):
    _project, quiet, _busy = busy_project
    Comment.objects.filter(idea=quiet).update(text_html="<p>So gespeichert.</p>")
    assert "So gespeichert." in client.get(_idea_url(quiet)).content.decode()


@pytest.mark.parametrize("who", ["visitor", "resident"])
def test_the_idea_page_costs_the_same_few_queries_for_any_discussion(
    client, busy_project, django_assert_num_queries, who
):
    project, quiet, busy = busy_project
    if who == "resident":
        client.force_login(resident_of(project))
    queries = {"visitor": 9, "resident": 13}[who]
    for idea in (quiet, busy):  # sessions, the projects and ideas a process keeps settle
        client.get(_idea_url(idea))
    for idea in (quiet, busy):
        cache.clear()  # visitors: rendered, not the cached copy
        with django_assert_num_queries(queries):
            assert client.get(_idea_url(idea)).status_code == 200


@pytest.mark.parametrize("who", ["visitor", "resident"])
def test_a_page_of_replies_costs_the_same_few_queries_for_any_thread(
    client, busy_project, django_assert_num_queries, who
):
    project, quiet, busy = busy_project
    if who == "resident":
        client.force_login(resident_of(project))
    queries = {"visitor": 5, "resident": 7}[who]
    short = Comment.objects.get(idea=quiet)
    long = Comment.objects.filter(idea=busy, depth=0).order_by("created_at", "pk").first()
    for idea, top in ((quiet, short), (busy, long)):  # what a process keeps settles
        client.get(_thread_url(idea, top), HTTP_HX_REQUEST="true")
    for idea, top in ((quiet, short), (busy, long)):
        cache.clear()
        with django_assert_num_queries(queries):
            assert client.get(_thread_url(idea, top), HTTP_HX_REQUEST="true").status_code == 200


def test_after_replying_the_reply_is_on_the_page_people_are_sent_to(client, busy_project):
    project, _quiet, busy = busy_project
    person = resident_of(project)
    client.force_login(person)
    first = Comment.objects.filter(idea=busy, depth=0).order_by("created_at", "pk").first()
    url = reverse("ideas:comment", args=[project.municipality.slug, project.slug, busy.pk])
    response = client.post(url, {"text": "Noch eine Antwort.", "stance": "pro", "parent": first.pk})
    reply = Comment.objects.get(text="Noch eine Antwort.")
    assert reply.position == 61
    assert response.status_code == 302
    target, anchor = response["Location"].split("#")
    assert anchor == f"kommentar-{reply.pk}"
    assert target == f"{_thread_url(busy, first)}?ab={REPLIES_PER_PAGE}"
    assert str(reply.pk) in _shown_comments(client.get(target).content.decode())
    # A new thread is on the last page of the idea's discussion.
    response = client.post(url, {"text": "Ein neuer Gedanke.", "stance": "pro"})
    comment = Comment.objects.get(text="Ein neuer Gedanke.")
    target, anchor = response["Location"].split("#")
    assert target == _idea_url(busy, seite=2)
    assert str(comment.pk) in _shown_comments(client.get(target).content.decode())


def test_replying_to_a_comment_far_down_a_thread_links_to_it(client, busy_project):
    project, _quiet, busy = busy_project
    client.force_login(resident_of(project))
    first = Comment.objects.filter(idea=busy, depth=0).order_by("created_at", "pk").first()
    far = Comment.objects.get(thread=first, position=55)
    html = client.get(_idea_url(busy, antwort=far.pk)).content.decode()
    assert f'href="{_thread_url(busy, first)}?ab={REPLIES_PER_PAGE}#kommentar-{far.pk}"' in html
    # A reply written through the service lands on the same page.
    reply = comment_create(actor=resident_of(project), idea=busy, text="Genau.", parent=far)
    assert reply.position == 61


def _report_links(html: str) -> set[str]:
    return set(re.findall(r"/melden/kommentar/(\d+)/", html))


def test_logged_in_people_share_the_discussion_and_get_their_own_marks(client):
    """The discussion is kept for everyone who may do the same with it; nobody is offered to
    report their own comment, and moderators get their forms."""
    project = ProjectFactory()
    idea = IdeaFactory(project=project)
    lena, ben = resident_of(project), resident_of(project)
    hers = comment_create(actor=lena, idea=idea, text="Bänke wären schön.")
    his = comment_create(actor=ben, idea=idea, text="Mit Schatten, bitte.")
    url = _idea_url(idea)
    pages = {}
    for person in (lena, ben, lena):
        visitor = Client()
        visitor.force_login(person)
        pages[person] = visitor.get(url).content.decode()
        assert "<!--" not in pages[person].split("<main")[1].split("</main>")[0]
    assert _report_links(pages[lena]) == {str(his.pk)}
    assert _report_links(pages[ben]) == {str(hers.pk)}
    moderator = Client()
    moderator.force_login(person_with_role(project.municipality, Role.MODERATOR))
    html = moderator.get(url).content.decode()
    for comment in (hers, his):
        assert f"/kommentar/{comment.pk}/ausblenden/" in html

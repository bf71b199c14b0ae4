from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.page_cache import forget_all
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.dialogue.models import Stance
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory, resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _url(name, project, *args):
    return reverse(name, args=[project.municipality.slug, project.slug, *args])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _counts(client, url) -> tuple[int, int]:
    """The queries of a page rendered afresh, then of the same page with its shared part kept."""
    forget_all()
    return _count(client, url), _count(client, url)


def test_idea_list_costs_the_same_with_many_ideas(client):
    small, big = ProjectFactory(), ProjectFactory()
    IdeaFactory.create_batch(2, project=small, latitude=52.1, longitude=9.3)
    IdeaFactory.create_batch(30, project=big, latitude=52.1, longitude=9.3)
    viewer = resident_of(small)
    client.force_login(viewer)
    client.get(_url("ideas:list", small))
    fresh, kept = _counts(client, _url("ideas:list", small))
    assert _counts(client, _url("ideas:list", big)) == (fresh, kept)
    assert kept < fresh


def test_idea_page_costs_the_same_with_many_comments(client):
    project = ProjectFactory()
    quiet, busy = IdeaFactory(project=project), IdeaFactory(project=project)
    CommentFactory(idea=quiet)
    for n in range(12):
        top = CommentFactory(idea=busy, stance=Stance.PRO if n % 2 else Stance.CONTRA)
        for _ in range(3):
            CommentFactory(idea=busy, parent=top, thread=top, depth=1)
    client.force_login(resident_of(project))
    client.get(_url("ideas:detail", project, quiet.pk))
    fresh, kept = _counts(client, _url("ideas:detail", project, quiet.pk))
    assert _counts(client, _url("ideas:detail", project, busy.pk)) == (fresh, kept)
    assert kept < fresh


def test_a_failed_idea_keeps_what_was_typed(client):
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    client.force_login(resident_of(project))
    response = client.post(
        _url("ideas:create", project),
        {"title": "Bänke", "text": "Mehr <em>Bänke</em> am Fluss, bitte.", "latitude": "52.1"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte keine HTML-Tags verwenden" in html
    assert "Breiten- und Längengrad" in html
    assert "Mehr &lt;em&gt;Bänke&lt;/em&gt; am Fluss, bitte." in html
    assert 'value="Bänke"' in html
    assert not Idea.objects.exists()


def test_honeypot_stops_bots_and_keeps_nothing(client):
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    client.force_login(resident_of(project))
    response = client.post(
        _url("ideas:create", project),
        {
            "title": "Billige Uhren",
            "text": "Kaufen Sie jetzt billige Uhren!",
            "website": "spam.example",
        },
    )
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_posting_and_commenting_through_the_pages(client):
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    client.force_login(resident_of(project))
    response = client.post(
        _url("ideas:create", project),
        {"title": "Trinkbrunnen am Markt", "text": "Im Sommer fehlt Wasser für alle."},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("ideas:detail", project, idea.pk)
    response = client.post(
        _url("ideas:comment", project, idea.pk), {"stance": "pro", "text": "Sehr gute Idee!"}
    )
    assert response.status_code == 302
    html = client.get(_url("ideas:detail", project, idea.pk)).content.decode()
    assert "Sehr gute Idee!" in html
    assert "dafür" in html


def test_a_failed_comment_keeps_its_text(client):
    idea = IdeaFactory()
    client.force_login(resident_of(idea.project))
    response = client.post(
        _url("ideas:comment", idea.project, idea.pk), {"stance": "contra", "text": "<b>Nein</b>"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "&lt;b&gt;Nein&lt;/b&gt;" in html
    assert "Bitte keine HTML-Tags" in html


def test_a_comment_written_while_the_idea_closed_is_not_lost(client):
    idea = IdeaFactory()
    client.force_login(resident_of(idea.project))
    Idea.objects.filter(pk=idea.pk).update(withdrawn_at="2026-11-25T10:00:00Z")
    response = client.post(
        _url("ideas:comment", idea.project, idea.pk),
        {"stance": "pro", "text": "Ein langer Gedanke & ein Vorschlag"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ihr Text wurde nicht veröffentlicht" in html
    assert "Ein langer Gedanke &amp; ein Vorschlag</textarea>" in html
    assert not idea.comments.exists()


def test_visitors_see_why_they_cannot_post(client):
    project = ProjectFactory(phase=PhaseKind.INFORMATION)
    html = client.get(_url("ideas:create", project)).content.decode()
    assert "In der Phase „Information“ ist das nicht möglich." in html
    assert '<form class="form' not in html


def test_hidden_comment_shows_the_reason_in_its_place(client):
    idea = IdeaFactory()
    moderator = person_with_role(idea.municipality, Role.MODERATOR)
    comment = comment_create(actor=resident_of(idea.project), idea=idea, text="Ihr seid alle blöd.")
    client.force_login(moderator)
    url = reverse(
        "moderation:moderate", args=[idea.municipality.slug, "kommentar", comment.pk, "ausblenden"]
    )
    assert client.post(url, {"reason": "Beleidigung, verstößt gegen Regel 1."}).status_code == 302
    client.logout()
    html = client.get(_url("ideas:detail", idea.project, idea.pk)).content.decode()
    assert "Ihr seid alle blöd." not in html
    assert "Von der Moderation ausgeblendet" in html
    assert "Beleidigung, verstößt gegen Regel 1." in html


def test_moderation_pages_are_for_moderators_and_the_log_for_admins(client):
    idea = IdeaFactory()
    town = idea.municipality.slug
    client.force_login(resident_of(idea.project))
    assert client.get(reverse("moderation:queue", args=[town])).status_code == 403
    assert client.get(reverse("moderation:log", args=[town])).status_code == 403
    client.force_login(person_with_role(idea.municipality, Role.ADMIN))
    assert client.get(reverse("moderation:log", args=[town])).status_code == 200
    client.force_login(person_with_role(idea.municipality, Role.MODERATOR))
    assert client.get(reverse("moderation:queue", args=[town])).status_code == 200


def test_visitors_get_a_cached_page_that_is_never_stale(client):
    idea = IdeaFactory()
    url = _url("ideas:detail", idea.project, idea.pk)
    first = client.get(url)
    second = client.get(url)
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    comment_create(actor=resident_of(idea.project), idea=idea, text="Neu dazugekommen.")
    fresh = client.get(url)
    assert "X-Page-Cache" not in fresh
    assert "Neu dazugekommen." in fresh.content.decode()
    # A language of its own, and nothing cached for people who are logged in.
    client.get(reverse("language", args=["en"]), {"next": "/"})
    assert "X-Page-Cache" not in client.get(url)
    client.force_login(resident_of(idea.project))
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_drafts_are_not_cached_for_visitors(client):
    idea = IdeaFactory(project=ProjectFactory(is_published=False))
    url = _url("ideas:detail", idea.project, idea.pk)
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_withdrawing_asks_first_on_a_page_that_works_without_javascript(client):
    idea = IdeaFactory(title="Bank am Fluss")
    client.force_login(idea.author)
    page = client.get(_url("ideas:detail", idea.project, idea.pk)).content.decode()
    withdraw = _url("ideas:withdraw", idea.project, idea.pk)
    # A link to the question, not a button that withdraws at once.
    assert f'<a href="{withdraw}">' in page
    assert f'action="{withdraw}"' not in page
    question = client.get(withdraw)
    assert question.status_code == 200
    html = question.content.decode()
    assert "Möchten Sie Ihre Idee „Bank am Fluss“ wirklich zurückziehen?" in html
    assert 'name="bestaetigt" value="ja"' in html
    idea.refresh_from_db()
    assert idea.withdrawn_at is None
    # A post without the answer only asks again.
    assert client.post(withdraw).status_code == 200
    idea.refresh_from_db()
    assert idea.withdrawn_at is None
    response = client.post(withdraw, {"bestaetigt": "ja"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.withdrawn_at is not None


def test_others_are_not_asked_to_withdraw_an_idea(client):
    idea = IdeaFactory()
    client.force_login(resident_of(idea.project))
    response = client.get(_url("ideas:withdraw", idea.project, idea.pk))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.withdrawn_at is None


def test_a_withdrawn_idea_says_so_and_no_longer_awaits_an_answer(client):
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(withdrawn_at="2026-11-25T10:00:00Z")
    for url in (_url("ideas:detail", idea.project, idea.pk), _url("ideas:list", idea.project)):
        html = client.get(url).content.decode()
        assert "zurückgezogen" in html
        assert "wartet auf eine Antwort" not in html
        assert ">neu</span>" not in html
    html = client.get(_url("ideas:detail", idea.project, idea.pk)).content.decode()
    assert "Zurückgezogen am 25. November 2026." in html

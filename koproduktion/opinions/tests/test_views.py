from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.kept import forget_kept
from koproduktion.core.page_cache import forget_all
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.core.tests.redis_support import REDIS_URL
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import Participant, Statement, StatementVote
from koproduktion.opinions.services import statement_seed
from koproduktion.opinions.tasks import compute_opinion_map
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.settings.caches import cache_settings

from .factories import OpinionMapFactory, StatementFactory, opinion_map_with_votes

pytestmark = pytest.mark.django_db


def _url(name, project, *args):
    return reverse(f"opinions:{name}", args=[project.municipality.slug, project.slug, *args])


@pytest.fixture
def project():
    return ProjectFactory()


def test_a_resident_votes_without_javascript(client, project):
    OpinionMapFactory(project=project)
    first, second = StatementFactory(project=project), StatementFactory(project=project)
    resident = person_with_role(project.municipality, Role.RESIDENT)
    client.force_login(resident)
    page = client.get(_url("vote", project))
    assert page.status_code == 200
    shown = page.context["statement"]
    assert shown in (first, second)
    response = client.post(_url("vote_submit", project), {"statement": shown.pk, "vote": "agree"})
    assert response.status_code == 302
    assert StatementVote.objects.get(statement=shown).value == 1
    page = client.get(_url("vote", project))
    assert page.context["statement"] == (second if shown == first else first)
    assert "Danke, Ihre Stimme ist gespeichert." in page.content.decode()


def test_htmx_gets_the_next_statement_as_a_fragment(client, project):
    OpinionMapFactory(project=project)
    statement = StatementFactory(project=project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    response = client.post(
        _url("vote_submit", project),
        {"statement": statement.pk, "vote": "pass"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="these"')
    assert "alle Thesen beantwortet" in body


def test_outside_the_dialogue_phase_the_page_explains(client):
    project = ProjectFactory(phase=PhaseKind.DECISION)
    OpinionMapFactory(project=project)
    statement = StatementFactory(project=project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    page = client.get(_url("vote", project)).content.decode()
    assert "Dialogphase" in page
    assert 'name="vote"' not in page
    client.post(_url("vote_submit", project), {"statement": statement.pk, "vote": "agree"})
    assert not StatementVote.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(client, project):
    OpinionMapFactory(project=project)
    StatementFactory(project=project)
    page = client.get(_url("vote", project)).content.decode()
    assert "Bitte melden Sie sich an" in page


def test_no_opinion_map_no_page(client, project):
    assert client.get(_url("vote", project)).status_code == 404
    assert client.get(_url("results", project)).status_code == 404


def test_propose_and_moderate(client, project):
    OpinionMapFactory(project=project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    response = client.post(_url("propose", project), {"text": "Mehr Fahrradbügel am Markt"})
    assert response.status_code == 302
    statement = Statement.objects.get(text="Mehr Fahrradbügel am Markt")
    assert statement.status == Statement.Status.PENDING
    assert client.get(_url("moderation", project)).status_code == 404
    client.force_login(person_with_role(project.municipality, Role.MODERATOR))
    assert "Mehr Fahrradbügel am Markt" in client.get(_url("moderation", project)).content.decode()
    client.post(_url("moderate", project, statement.pk), {"decision": "reject"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PENDING  # no reason, no rejection
    client.post(_url("moderate", project, statement.pk), {"decision": "accept"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED


def test_results_page_shows_groups_map_and_table(client, project):
    opinion_map, _ = opinion_map_with_votes(project, participants=30)
    opinion_map_compute(opinion_map=opinion_map)
    page = client.get(_url("results", project)).content.decode()
    assert 'role="img"' in page
    assert "Gruppe A" in page
    assert "Gruppe B" in page
    assert "<table" in page
    assert "Wo die Meinungen auseinandergehen" in page


def test_results_page_shows_each_person_their_group_and_reads_the_result_once(client, project):
    opinion_map, _ = opinion_map_with_votes(project, participants=30)
    opinion_map_compute(opinion_map=opinion_map)
    opinion_map.refresh_from_db()
    placed = {p["id"]: p["group"] for p in opinion_map.result["participants"] if p["x"] is not None}
    letters = {g["id"]: "AB"[i] for i, g in enumerate(opinion_map.result["groups"])}
    first = next(pid for pid, group in placed.items() if letters[group] == "A")
    second = next(pid for pid, group in placed.items() if letters[group] == "B")
    people = {}
    for pid in (first, second):
        people[pid] = person_with_role(project.municipality, Role.RESIDENT)
        Participant.objects.filter(pk=pid).update(user=people[pid], external_id="")

    def page_of(pid) -> tuple[str, list[str]]:
        client.force_login(people[pid])
        with CaptureQueriesContext(connection) as queries:
            html = client.get(_url("results", project)).content.decode()
        return html, [q["sql"] for q in queries.captured_queries]

    html, reads = page_of(first)
    assert "Sie gehören zu Gruppe A." in html
    assert html.count("is-you") == 2  # the dot and its key
    assert "Gruppe A (Ihre Gruppe)" in html
    html, reads = page_of(second)
    assert "Sie gehören zu Gruppe B." in html
    assert "Gruppe B (Ihre Gruppe)" in html
    dots = re.findall(r"<circle [^>]*>", html)
    assert len(dots) == len(placed)
    assert [dot for dot in dots if "is-you" in dot] == dots[-1:]  # theirs alone, drawn on top
    # The stored result, with every participant's place, was read for the first person only.
    assert not any('"result"' in sql for sql in reads)
    client.logout()
    assert "Sie gehören zu Gruppe" not in client.get(_url("results", project)).content.decode()


def test_another_app_process_shows_the_results_without_reading_the_result(client, project):
    """Each app process used to decode the whole stored result once per computation (4.8 MB
    at 50,000 participants, 0.25 s and more): the view built by one is shared through the
    cache, Redis in production, so the others take it from there."""
    opinion_map, _ = opinion_map_with_votes(project, participants=30)
    opinion_map_compute(opinion_map=opinion_map)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    first = client.get(_url("results", project)).content.decode()
    forget_kept()  # what this process keeps; the shared cache stays, as for another process
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url("results", project)).content.decode()
    assert not any('"result"' in q["sql"] for q in queries.captured_queries)
    assert "Gruppe A" in again
    assert re.findall(r"<circle [^>]*>", again) == re.findall(r"<circle [^>]*>", first)


def test_the_worker_shares_the_view_so_no_app_process_decodes_the_result(
    client, project, settings, redis_prefix
):
    """With Redis, as in production: the computation's task builds the page's view from the
    result in its memory and shares it, so even the first look after a computation decodes
    nothing; it shows what a process that built the view itself shows."""
    opinion_map_with_votes(project, participants=30)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    settings.CACHES = cache_settings(REDIS_URL, key_prefix=redis_prefix)
    compute_opinion_map.call(project_id=project.pk)
    forget_kept()  # what this process keeps (not the shared cache: other tests use it)
    with CaptureQueriesContext(connection) as queries:
        shared = client.get(_url("results", project)).content.decode()
    assert not any('"result"' in q["sql"] for q in queries.captured_queries)
    assert "Gruppe A" in shared
    settings.CACHES = cache_settings("")  # each process on its own: this one builds the view
    forget_kept()
    forget_all()
    with CaptureQueriesContext(connection) as queries:
        built = client.get(_url("results", project)).content.decode()
    assert any('"result"' in q["sql"] for q in queries.captured_queries)
    assert re.findall(r"<circle [^>]*>", shared) == re.findall(r"<circle [^>]*>", built)
    assert re.findall(r"Gruppe [A-Z]", shared) == re.findall(r"Gruppe [A-Z]", built)


def test_project_page_links_the_opinion_map(client, project):
    detail = reverse("projects:detail", args=[project.municipality.slug, project.slug])
    assert "Meinungsbild" not in client.get(detail).content.decode()
    staff = person_with_role(project.municipality, Role.STAFF)
    statement_seed(actor=staff, project=project, text="Mehr Bänke am Hafen")
    # Also for visitors served from the page cache: the first statement creates the map.
    assert _url("vote", project) in client.get(detail).content.decode()


@pytest.mark.parametrize("name", ["vote", "results"])
def test_pages_cost_the_same_for_small_and_large_maps(client, name, django_assert_num_queries):
    counts = []
    for size in (8, 40):
        project = ProjectFactory()
        opinion_map, _ = opinion_map_with_votes(project, participants=size, statements=size // 2)
        opinion_map_compute(opinion_map=opinion_map)
        resident = person_with_role(project.municipality, Role.RESIDENT)
        client.force_login(resident)
        client.post(
            _url("vote_submit", project),
            {"statement": Statement.objects.filter(project=project).first().pk, "vote": "agree"},
        )
        from django.db import connection  # noqa: PLC0415
        from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

        # Each page as the person's first after the vote, with nothing of theirs cached, nor the
        # project a process keeps.
        forget_all()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(name, project)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    forget_all()
    with django_assert_num_queries(counts[1]):
        client.get(_url(name, project))

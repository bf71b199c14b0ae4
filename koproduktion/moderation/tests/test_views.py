from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.models import Block
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory, resident_of
from koproduktion.moderation.models import ReportReason
from koproduktion.moderation.services import report_create

pytestmark = pytest.mark.django_db


def test_queue_shows_reported_ideas_and_comments(client):
    idea = IdeaFactory(title="Parkplatz statt Spielplatz")
    idea.author = resident_of(idea.project)
    idea.save()
    comment = CommentFactory(idea=idea, text="Ein gemeldeter Kommentar")
    report_create(reporter=resident_of(idea.project), idea=idea, reason=ReportReason.SPAM)
    report_create(reporter=resident_of(idea.project), comment=comment, reason=ReportReason.INSULT)
    client.force_login(person_with_role(idea.municipality, Role.MODERATOR))
    response = client.get(reverse("moderation:queue", args=[idea.municipality.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Parkplatz statt Spielplatz" in page
    assert "Ein gemeldeter Kommentar" in page
    detail = reverse("ideas:detail", args=[idea.municipality.slug, idea.project.slug, idea.pk])
    assert page.count(f'href="{detail}"') == 2
    hide_idea = reverse(
        "moderation:moderate", args=[idea.municipality.slug, "idee", idea.pk, "ausblenden"]
    )
    assert hide_idea in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_costs_the_same_with_many_reports(client):
    idea = IdeaFactory()
    url = reverse("moderation:queue", args=[idea.municipality.slug])
    client.force_login(person_with_role(idea.municipality, Role.MODERATOR))

    def report_more(n):
        for _ in range(n):
            other = IdeaFactory(project=idea.project, author=resident_of(idea.project))
            comment = CommentFactory(idea=other, author=resident_of(idea.project))
            report_create(reporter=resident_of(idea.project), idea=other, reason=ReportReason.SPAM)
            report_create(
                reporter=resident_of(idea.project), comment=comment, reason=ReportReason.SPAM
            )

    report_more(1)
    client.get(url)
    few = _queries(client, url)
    report_more(6)
    assert _queries(client, url) == few


def test_a_moderator_reaches_only_people_of_their_own_town(client):
    idea = IdeaFactory()
    town = idea.municipality
    elsewhere = person_with_role(MunicipalityFactory(), Role.RESIDENT, public_name="Fremde Person")
    no_role = UserFactory()
    resident = person_with_role(town, Role.RESIDENT, public_name="Nachbarin")
    client.force_login(person_with_role(town, Role.MODERATOR))
    for outsider in (elsewhere, no_role):
        url = reverse("moderation:person", args=[town.slug, outsider.pk])
        assert client.get(url).status_code == 404
        blocked = client.post(url, {"action": "block", "reason": "Ohne Bezug zur Kommune."})
        assert blocked.status_code == 404
    assert not Block.objects.exists()
    page = client.get(reverse("moderation:person", args=[town.slug, resident.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nachbarin" in html
    assert resident.email not in html


def test_a_moderator_reaches_authors_and_blocked_people_without_a_role_there(client):
    idea = IdeaFactory()
    town = idea.municipality
    author = UserFactory()
    idea.author = author
    idea.save()
    client.force_login(person_with_role(town, Role.MODERATOR))
    assert client.get(reverse("moderation:person", args=[town.slug, author.pk])).status_code == 200

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


def _rules(municipality, **english):
    from koproduktion.moderation.services import community_rules_set  # noqa: PLC0415

    community_rules_set(
        actor=person_with_role(municipality, Role.ADMIN),
        municipality=municipality,
        summary="Wir bleiben sachlich.",
        text="1. **Respekt**",
        **english,
    )


def _idea_page(client, idea, language):
    client.cookies["language"] = language
    url = reverse("ideas:detail", args=[idea.municipality.slug, idea.project.slug, idea.pk])
    return client.get(url).content.decode()


def test_the_rules_above_every_field_are_in_the_readers_language(client):
    idea = IdeaFactory()
    _rules(idea.municipality, summary_en="We stay factual.", text_en="1. **Respect**")
    client.force_login(resident_of(idea.project))
    assert "Wir bleiben sachlich." in _idea_page(client, idea, "de")
    english = _idea_page(client, idea, "en")
    assert "We stay factual." in english
    assert "Wir bleiben sachlich." not in english
    page = client.get(reverse("moderation:rules", args=[idea.municipality.slug])).content.decode()
    assert '<div class="prose" lang="en"><ol>\n<li><strong>Respect</strong>' in page


def test_without_english_rules_english_readers_get_the_platforms_sentence(client):
    idea = IdeaFactory()
    _rules(idea.municipality)
    client.force_login(resident_of(idea.project))
    english = _idea_page(client, idea, "en")
    assert "Wir bleiben sachlich." not in english
    assert "Please stick to the facts and be respectful." in english
    page = client.get(reverse("moderation:rules", args=[idea.municipality.slug])).content.decode()
    assert "The municipality has published its rules in German only." in page
    assert '<div class="prose" lang="de">' in page


def test_admins_write_the_english_rules_in_the_form(client):
    municipality = MunicipalityFactory()
    client.force_login(person_with_role(municipality, Role.ADMIN))
    response = client.post(
        reverse("moderation:rules_edit", args=[municipality.slug]),
        {
            "summary": "Sachlich bleiben.",
            "text": "Regeln",
            "summary_en": "Stay factual.",
            "text_en": "Rules",
        },
    )
    assert response.status_code == 302
    rules = municipality.community_rules
    assert (rules.summary_en, rules.text_en) == ("Stay factual.", "Rules")

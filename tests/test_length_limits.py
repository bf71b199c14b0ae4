"""Text fields say how long a text may be, and the server refuses longer text without losing it.

The browser cuts pasted text at ``maxlength`` without a word; a browser without that check (or
a form posted otherwise) must meet the same limit on the server.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PASTED = "Ein sehr langer Text. " * 2500  # 55,000 characters


def _described_by(html: str, field_id: str) -> list[str]:
    tag = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>', html).group(0)
    return re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()


def test_the_idea_form_says_the_limit_and_links_it_to_the_field(client):
    project = ProjectFactory()
    client.force_login(resident_of(project))
    html = client.get(
        reverse("ideas:create", args=[project.municipality.slug, project.slug])
    ).content.decode()
    assert '<div class="help length-limit" id="id_text_limit"' in html
    assert "höchstens 5.000 Zeichen</div>" in html
    assert "id_text_limit" in _described_by(html, "id_text")


def test_the_limit_reads_in_english(client, settings):
    project = ProjectFactory()
    client.force_login(resident_of(project))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(
        reverse("ideas:create", args=[project.municipality.slug, project.slug])
    ).content.decode()
    assert "at most 5,000 characters</div>" in html


def test_an_over_long_idea_is_refused_and_kept(client):
    project = ProjectFactory()
    client.force_login(resident_of(project))
    response = client.post(
        reverse("ideas:create", args=[project.municipality.slug, project.slug]),
        {"title": "Lange Idee", "text": PASTED},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "höchstens 5000 Zeichen" in html
    assert f">\n{PASTED}</textarea>" in html
    assert {"id_text_errors", "id_text_limit"} <= set(_described_by(html, "id_text"))
    assert not Idea.objects.exists()


def test_an_over_long_comment_is_refused_and_kept(client):
    idea = IdeaFactory()
    client.force_login(resident_of(idea.project))
    response = client.post(
        reverse("ideas:comment", args=[idea.municipality.slug, idea.project.slug, idea.pk]),
        {"stance": "pro", "text": PASTED},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "höchstens 3000 Zeichen" in html
    assert PASTED in html
    assert "höchstens 3.000 Zeichen</div>" in html
    assert not idea.comments.exists()

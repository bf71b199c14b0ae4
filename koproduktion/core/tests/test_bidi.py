"""Characters that reorder text (U+202E RIGHT-TO-LEFT OVERRIDE and the other bidi controls) neither
enter the platform with a title, name or pseudonym nor reach a page from what was stored before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.accounts.models import User
from koproduktion.core.tests.factories import UserFactory
from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_create
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_titles_are_stored_without_bidi_controls():
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    idea = idea_create(
        actor=resident_of(project),
        project=project,
        title=f"{RLO}Bänke am Fluss{PDF} {RLI}jetzt{PDI}",
        text=f"Mehr Bänke {RLO}bitte{PDF}, am Ufer entlang.",
        address=f"Uferweg 3{RLO}",
    )
    idea.refresh_from_db()
    assert (idea.title, idea.address) == ("Bänke am Fluss jetzt", "Uferweg 3")
    assert not set(BIDI) & set(idea.text)


def _register(client, public_name):
    password = "Radweg-am-Fluss-2026"
    return client.post(
        reverse("accounts:register"),
        {
            "email": "lena@example.org",
            "public_name": public_name,
            "password1": password,
            "password2": password,
            "accept_terms": "on",
        },
    )


def test_a_pseudonym_cannot_pass_for_another_with_invisible_characters(client):
    UserFactory(public_name="Lena")
    for lookalike in (f"Lena{RLO}", "\u200bLe\u2066na\u2069", "Lena\u200f"):
        response = _register(client, lookalike)
        assert response.status_code == 200
        assert "schon vergeben" in response.content.decode()
    assert User.objects.count() == 1
    response = _register(client, RLO * 3)
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    _register(client, f"Le{RLO}ni")
    assert User.objects.get(email="lena@example.org").public_name == "Leni"


def test_stored_bidi_controls_do_not_reach_the_page(client):
    idea = IdeaFactory(title="Neue Bänke")
    author = idea.author
    # Stored before input was cleaned: written past the services.
    Idea.objects.filter(pk=idea.pk).update(title=f"Bänke{RLO} am Fluss")
    User.objects.filter(pk=author.pk).update(public_name=f"{RLO}Lena")
    project = idea.project
    pages = [
        reverse("ideas:list", args=[project.municipality.slug, project.slug]),
        reverse("ideas:detail", args=[project.municipality.slug, project.slug, idea.pk]),
        reverse("projects:detail", args=[project.municipality.slug, project.slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Bänke am Fluss" in html or url == pages[2]
        assert not set(BIDI) & set(html), url


ESCAPED = [f"\\u{ord(control):04x}" for control in BIDI]


def test_stored_bidi_controls_do_not_reach_the_api(client):
    """JSON escapes the controls (``\\u202e``), so they passed the pages' filter of raw bytes; a
    client showing the title got it reversed. Strings are cleaned before they become JSON."""
    idea = IdeaFactory(title="Neue Bänke")
    Idea.objects.filter(pk=idea.pk).update(
        title=f"Bänke{RLO} am Fluss", text=f"Mehr {RLI}Bänke{PDI}, bitte."
    )
    User.objects.filter(pk=idea.author_id).update(public_name=f"{RLO}Lena")
    project = idea.project
    project.__class__.objects.filter(pk=project.pk).update(title=f"Ufer{RLO}weg")
    base = f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}"
    for url in (
        f"{base}/ideas",
        f"{base}/ideas/{idea.pk}",
        base,
        f"/api/v1/municipalities/{project.municipality.slug}/projects",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not set(BIDI) & set(body), url
        assert not any(escaped in body.lower() for escaped in ESCAPED), url
    detail = client.get(f"{base}/ideas/{idea.pk}").json()
    assert detail["title"] == "Bänke am Fluss"
    assert detail["author"] == "Lena"


def test_text_that_merely_spells_an_escape_stays_as_typed(client):
    """Only the characters go, not what looks like their escape in a string: a backslash, a u
    and four digits typed as text come back as typed."""
    typed = "Die Zeichenfolge \\u202e ist harmlos, C:\\u2066 auch."
    idea = IdeaFactory(title="Escape")
    Idea.objects.filter(pk=idea.pk).update(text=typed)
    project = idea.project
    url = (
        f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}"
        f"/ideas/{idea.pk}"
    )
    assert client.get(url).json()["text"] == typed

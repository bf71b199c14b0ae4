"""A request too large, or with too many fields or files, is refused with a reason, never a 500.

Django stops reading at DATA_UPLOAD_MAX_MEMORY_SIZE (the body without uploaded files),
DATA_UPLOAD_MAX_NUMBER_FIELDS and DATA_UPLOAD_MAX_NUMBER_FILES; the API answers in JSON, pages
as a page of the site, both in the person's language.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koproduktion.accounts.services import api_token_create
from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

FIVE_MB = "a" * 5_000_000


@pytest.fixture
def project():
    return ProjectFactory(phase=PhaseKind.DIALOGUE)


def _api_ideas(project) -> str:
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/ideas"


@pytest.mark.parametrize("debug", [False, True])
def test_a_huge_api_body_is_413_with_a_reason(client, settings, project, debug):
    settings.DEBUG = debug
    client.raise_request_exception = False
    _token, key = api_token_create(user=resident_of(project), name="Test")
    response = client.post(
        _api_ideas(project),
        json.dumps({"title": "Bänke", "text": FIVE_MB}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 413
    assert "zu groß" in response.json()["detail"]
    assert "höchstens 2,5\xa0MB" in response.json()["detail"]
    assert not Idea.objects.exists()


def test_the_reason_speaks_the_persons_language(client, project):
    client.force_login(resident_of(project))
    client.cookies["language"] = "en"
    response = client.post(
        _api_ideas(project),
        json.dumps({"title": "Benches", "text": FIVE_MB}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_an_api_address_with_too_many_parameters_says_why(client):
    query = "&".join(f"p{i}=1" for i in range(1500))
    response = client.get(f"/api/v1/municipalities?{query}")
    assert response.status_code == 400
    assert "zu viele Felder" in response.json()["detail"]


def _idea_form(project) -> str:
    return reverse("ideas:create", args=[project.municipality.slug, project.slug])


def test_a_huge_form_is_413_as_a_page_with_a_reason(client, project):
    client.force_login(resident_of(project))
    response = client.post(_idea_form(project), {"title": "Bänke", "text": FIVE_MB})
    assert response.status_code == 413
    html = response.content.decode()
    assert "zu groß" in html
    assert "<h1>" in html
    assert not Idea.objects.exists()


def test_a_form_with_too_many_fields_is_400_with_a_reason(client, project):
    client.force_login(resident_of(project))
    response = client.post(_idea_form(project), {f"feld{i}": "1" for i in range(1500)})
    assert response.status_code == 400
    assert "zu viele Felder" in response.content.decode()


def test_an_upload_with_a_huge_text_part_or_too_many_files_says_why(client, project):
    client.force_login(resident_of(project))
    huge = client.post(_idea_form(project), {"title": "Bänke", "text": FIVE_MB, "photo": b""})
    files = {
        f"datei{i}": SimpleUploadedFile(f"{i}.txt", b"x", content_type="text/plain")
        for i in range(120)
    }
    many = client.post(_idea_form(project), {"title": "Bänke", **files})
    assert (huge.status_code, many.status_code) == (413, 400)
    assert "zu groß" in huge.content.decode()
    assert "zu viele Dateien" in many.content.decode()

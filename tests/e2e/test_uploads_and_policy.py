"""Uploads and the Content-Security-Policy in a real browser.

Staff report progress with a photo: the photo is served as a download (attachment, nosniff) and
still shows in the page, since an <img> ignores Content-Disposition. The map loads its tiles from
the host in MAP_TILE_URL, the API's documentation (Swagger UI) and Django's admin work under the
policy; the shared ``visitor`` fails any test in which the browser reports a violation.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from koproduktion.projects.models import Project

PROJECT = "/musterstadt/vorhaben/quartierstreff-nordstadt/"


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 120, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.usefixtures("_media")
def test_a_photo_is_a_download_and_still_shows_in_the_report(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""
    page = visitor.page
    visitor.log_in("verwaltung@musterstadt.example")
    visitor.goto(PROJECT + "umsetzung/")
    page.get_by_role("link", name="Fortschritt berichten").click()
    visitor.check()
    page.get_by_label("Text").fill("Der Garten ist angelegt.")
    # An SVG is refused next to its field, and the text stays.
    page.get_by_label(re.compile(r"^Foto 1")).set_input_files(
        files=[{"name": "garten.svg", "mimeType": "image/svg+xml", "buffer": b"<svg/>"}]
    )
    page.get_by_label("Was zeigt Foto 1?").fill("Beete im Hof")
    page.get_by_role("button", name="Bericht veröffentlichen").click()
    visitor.check()
    refusal = "„garten.svg“ ist kein Foto im Format JPEG, PNG oder WebP."
    expect(page.get_by_role("link", name=f"Foto 1: {refusal}")).to_be_visible()  # the summary
    expect(page.get_by_text(refusal, exact=True)).to_be_visible()  # next to the field
    expect(page.get_by_label("Text")).to_have_value("Der Garten ist angelegt.")

    page.get_by_label(re.compile(r"^Foto 1")).set_input_files(
        files=[{"name": "garten.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.get_by_role("button", name="Bericht veröffentlichen").click()
    visitor.check()
    photo = page.get_by_role("img", name="Beete im Hof")
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    served = page.request.get(visitor.base_url + photo.get_attribute("src"))
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"


def test_the_map_may_load_tiles_from_the_configured_host(demo_town, visitor, settings):
    # Nothing answers on port 9 of the loopback: the tiles fail to load, but the policy allows
    # them, which is what this is about (a host the policy refused would fail the test).
    settings.MAP_TILE_URL = "http://{s}.localhost:9/{z}/{x}/{y}.png"
    page = visitor.goto("/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/")
    expect(page.locator(".leaflet-tile").first).to_be_attached()


def test_the_api_documentation_works_under_the_policy(demo_town, visitor):
    page = visitor.goto_foreign("/api/v1/docs")
    # Swagger UI has read the OpenAPI document and drawn the operations.
    expect(page.get_by_role("heading", name="Koproduktion API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


def test_the_platform_admin_adds_a_document_under_the_policy(demo_town, visitor):
    visitor.log_in("plattform@koproduktion.example", then="/admin/")
    project = Project.objects.get(
        municipality__slug="musterstadt", slug="fahrradstrasse-hafenallee"
    )
    page = visitor.goto_foreign(f"/admin/projects/project/{project.pk}/change/")
    # The admin's own scripts (the inline rows) run under the policy.
    page.get_by_text("Dokument hinzufügen").click()
    expect(page.locator("#id_documents-TOTAL_FORMS")).to_have_value("2")
    expect(page.locator("input[type=file]").last).to_have_attribute("accept", re.compile(r"\.pdf"))

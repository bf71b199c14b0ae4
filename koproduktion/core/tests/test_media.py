"""Uploaded files are downloads, never pages of the site.

Files stored before uploads were checked by their content may still be anything (an SVG with a
script, an HTML page). Served from the site's origin and shown inline, such a file runs with the
rights of whoever opens it; served as an attachment, with ``nosniff`` and a policy that allows
nothing, it is only ever saved to disk. An ``<img>`` ignores Content-Disposition, so photos still
show in pages (the browser test of progress reports looks at one).
"""

from __future__ import annotations

import pytest

from koproduktion.core.tests import samples
from koproduktion.projects.models import Document
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

FILE_POLICY = "default-src 'none'; sandbox"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _stored_earlier(tmp_path, name: str, data: bytes) -> Document:
    """A document whose file was stored before uploads were checked: no check sees it now."""
    path = tmp_path / "documents" / "2025" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    project = ProjectFactory()
    return Document.objects.create(
        project=project,
        municipality=project.municipality,
        title="Lageplan",
        file=f"documents/2025/{name}",
    )


def test_an_svg_uploaded_earlier_is_a_download_the_browser_may_not_sniff(client, tmp_path):
    document = _stored_earlier(tmp_path, "lageplan.svg", samples.SVG_WITH_SCRIPT)
    response = client.get(document.href)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lageplan.svg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # Not image/svg+xml: a file of a kind no longer accepted is bytes, nothing more.
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Security-Policy"] == FILE_POLICY
    assert b"".join(response.streaming_content) == samples.SVG_WITH_SCRIPT


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("plan.pdf", samples.PDF, "application/pdf"),
        ("foto.jpg", samples.image("JPEG"), "image/jpeg"),
        ("seite.html", samples.HTML_PAGE, "application/octet-stream"),
        (
            "bericht.docx",
            samples.ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
    ids=["pdf", "jpeg", "html", "docx"],
)
def test_every_file_is_served_as_attachment_with_its_type(
    client, tmp_path, name, data, content_type
):
    document = _stored_earlier(tmp_path, name, data)
    response = client.get(document.href)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_POLICY


@pytest.mark.parametrize(
    "path",
    ["/media/../pyproject.toml", "/media/%2e%2e/pyproject.toml", "/media/", "/media/nichts.pdf"],
)
def test_nothing_outside_the_uploads_and_no_listings(client, tmp_path, path):
    (tmp_path / "documents").mkdir()
    assert client.get(path).status_code == 404
    assert client.get("/media/documents/").status_code == 404

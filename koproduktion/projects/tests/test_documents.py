"""Project documents: only PDFs, images and office files, judged by what their bytes are.

A staff member of one town uploaded an SVG with a script as a project document; opened by the
platform admin from the site's own origin, it ran with the admin's rights. Nothing but the kinds
below is stored any more, whatever the file is called and whatever type the browser claims.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koproduktion.core.tests import samples
from koproduktion.projects.models import Document
from koproduktion.projects.services import document_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _admin_form(project, **document):
    """The project's admin form as the browser sends it, with one new document row."""
    data = {
        "municipality": project.municipality_id,
        "title": project.title,
        "slug": project.slug,
        "summary": project.summary,
        "description": project.description,
        "phase": project.phase,
        "is_published": "on",
        "phases-TOTAL_FORMS": "0",
        "phases-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-position": "0",
    }
    data.update({f"documents-0-{key}": value for key, value in document.items()})
    return data


def test_no_svg_with_a_script_is_uploaded_in_the_admin(client, town, tmp_path):
    _municipality, _neighbourhood, project, platform_admin = town
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:projects_project_change", args=[project.pk]),
        _admin_form(
            project,
            title="Lageplan",
            file=samples.upload("lageplan.svg", samples.SVG_WITH_SCRIPT, "image/svg+xml"),
        ),
    )
    assert response.status_code == 200  # the form comes back
    html = response.content.decode()
    assert "„lageplan.svg“ ist weder ein PDF noch ein Bild" in html
    assert 'value="Lageplan"' in html  # the title typed is kept
    assert not Document.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_pdf_is_uploaded_in_the_admin(client, town, tmp_path):
    _municipality, _neighbourhood, project, platform_admin = town
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:projects_project_change", args=[project.pk]),
        _admin_form(project, title="Gutachten", file=samples.upload("gutachten.pdf", samples.PDF)),
    )
    assert response.status_code == 302, response.content.decode()
    assert Document.objects.get().file.name.endswith("/gutachten.pdf")


ALLOWED = [
    ("plan.pdf", samples.PDF, "plan.pdf"),
    ("foto.JPG", samples.image("JPEG"), "foto.jpg"),
    ("skizze.png", samples.image("PNG"), "skizze.png"),
    ("animation.gif", samples.image("GIF"), "animation.gif"),
    ("bild.webp", samples.image("WEBP"), "bild.webp"),
    ("bericht.docx", samples.ooxml("word/document.xml"), "bericht.docx"),
    ("zahlen.xlsx", samples.ooxml("xl/workbook.xml"), "zahlen.xlsx"),
    ("folien.pptx", samples.ooxml("ppt/presentation.xml"), "folien.pptx"),
    (
        "text.odt",
        samples.opendocument("application/vnd.oasis.opendocument.text"),
        "text.odt",
    ),
    (
        "tabelle.ods",
        samples.opendocument("application/vnd.oasis.opendocument.spreadsheet"),
        "tabelle.ods",
    ),
    ("alt.doc", samples.ole("WordDocument"), "alt.doc"),
    ("alt.xls", samples.ole("Workbook"), "alt.xls"),
    ("alt.ppt", samples.ole("PowerPoint Document"), "alt.ppt"),
    # Named wrong: stored under what it is, so it is served as what it is.
    ("plan.pdf", samples.image("PNG"), "plan.png"),
    ("bericht.doc", samples.ooxml("word/document.xml"), "bericht.docx"),
    ("ohne-endung", samples.PDF, "ohne-endung.pdf"),
]
REFUSED = [
    ("lageplan.svg", samples.SVG_WITH_SCRIPT, "image/svg+xml"),
    ("lageplan.png", samples.SVG_WITH_SCRIPT, "image/png"),  # named and typed as a PNG
    ("seite.html", samples.HTML_PAGE, "text/html"),
    ("seite.pdf", samples.HTML_PAGE, "application/pdf"),
    ("daten.xml", b'<?xml version="1.0"?><daten/>', "application/xml"),
    ("skript.js", b"alert(1)", "text/javascript"),
    ("archiv.zip", samples.zip_of({"index.html": samples.HTML_PAGE}), "application/zip"),
    ("makro.docx", samples.ooxml("word/document.xml", macros=True), "application/msword"),
    ("makro.doc", samples.ole("WordDocument") + "_VBA_PROJECT".encode("utf-16-le"), ""),
    ("leer.pdf", b"", "application/pdf"),
    ("kaputt.png", b"\x89PNG\r\n\x1a\nkaputt", "image/png"),
]


@pytest.mark.parametrize(("name", "data", "stored_as"), ALLOWED, ids=[r[0] for r in ALLOWED])
def test_documents_of_the_allowed_kinds_are_stored_under_their_true_extension(
    town, name, data, stored_as
):
    project = town[2]
    document = document_add(project=project, title="Anlage", file=samples.upload(name, data))
    assert document.file.name.rsplit("/", 1)[1] == stored_as


@pytest.mark.parametrize(("name", "data", "content_type"), REFUSED, ids=[r[0] for r in REFUSED])
def test_everything_else_is_refused(town, tmp_path, name, data, content_type):
    project = town[2]
    with pytest.raises(ValidationError) as refused:
        document_add(
            project=project,
            title="Anlage",
            file=samples.upload(name, data, content_type or "application/octet-stream"),
        )
    assert "file" in refused.value.message_dict
    assert not Document.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_document_larger_than_20_mb_is_refused(town):
    project = town[2]
    big = samples.PDF + b"\x00" * (20 * 1024 * 1024)
    with pytest.raises(ValidationError, match="größer als 20 MB"):
        document_add(project=project, title="Riesig", file=samples.upload("riesig.pdf", big))

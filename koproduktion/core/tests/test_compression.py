"""Pages leave the app compressed when the browser accepts gzip; files and archives do not.

The production deploy's weight, with whitenoise's compressed static files, is measured in the
browser by tests/e2e/test_page_weight.py.
"""

from __future__ import annotations

import gzip

import pytest

from koproduktion.core.tests import samples
from koproduktion.core.tests.factories import MunicipalityFactory

from .test_media import _stored_earlier

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_cached_page_is_sent_compressed_and_reads_the_same(client):
    MunicipalityFactory(name="Musterstadt", description="Die Stadt am Fluss.")
    plain = client.get("/")
    first = client.get("/", **GZIP)
    again = client.get("/", **GZIP)
    assert again["X-Page-Cache"] == "hit"
    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        # Shared caches keep one copy per language cookie and per encoding.
        assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "Content-Encoding" not in plain
    # Random padding in the gzip header: the length of a page does not give away its content.
    assert len({len(client.get("/", **GZIP).content) for _ in range(8)}) > 1


def test_the_api_answers_compressed(client):
    MunicipalityFactory.create_batch(5)
    response = client.get("/api/v1/municipalities", **GZIP)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Encoding"] == "gzip"


def test_uploaded_files_are_sent_as_stored(client, tmp_path):
    document = _stored_earlier(tmp_path, "plan.pdf", samples.PDF * 20)
    response = client.get(document.href, **GZIP)
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == samples.PDF * 20


def test_favicon_ico_leads_to_the_drawn_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    page = client.get("/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}" type="image/svg+xml">' in page

"""A field with an error is described by it: every id an ``aria-describedby`` names is on the
page, so a screen reader reads the error with the field (filters of list pages, the search)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koproduktion.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _described_ids(html: str) -> list[str]:
    return [
        each for names in re.findall(r'aria-describedby="([^"]*)"', html) for each in names.split()
    ]


@pytest.mark.parametrize(
    ("url_name", "query", "field"),
    [
        ("search:results", {"q": "Radweg " * 40, "art": "gibt-es-nicht"}, "id_q"),
        ("search:results", {"q": "Radweg", "art": "gibt-es-nicht"}, "id_art"),
        ("projects:municipality", {"topic": "gibt-es-nicht"}, "id_topic"),
        ("actors:directory", {"kind": "gibt-es-nicht"}, "id_kind"),
        ("sponsorships:list", {"art": "gibt-es-nicht"}, "id_art"),
    ],
)
def test_a_filter_with_an_error_is_described_by_it(client, url_name, query, field):
    town = MunicipalityFactory(slug="musterstadt")

    response = client.get(reverse(url_name, args=[town.slug]), query)
    html = response.content.decode()

    assert response.status_code in (200, 400)
    tag = re.search(rf'<(?:input|select)[^>]*id="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    assert f"{field}_error" in _described_ids(tag)
    missing = [each for each in _described_ids(html) if f'id="{each}"' not in html]
    assert not missing, missing

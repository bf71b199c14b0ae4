"""The learning pages: the numbers on "So funktioniert Mitmachen hier" come from the town's data;
the method guides are there and linked from setting up a project."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.charter.models import CharterPromise, PromiseKind
from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.practice.learning import METHODS

pytestmark = pytest.mark.django_db


def _page(client, town):
    return client.get(reverse("learning:participation", args=[town.slug])).content.decode()


def _item(html, anchor):
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</li>", start)]


def test_the_numbers_follow_the_towns_data(client):
    town = MunicipalityFactory(answer_within_days=14, initiative_threshold=25)
    html = _page(client, town)
    assert "höchstens 14 Tagen" in _item(html, "antwort-frist")
    assert "25 Unterstützer" in _item(html, "initiative-schwelle")
    assert "keine feste Zahl" in _item(html, "quorum")
    Municipality.objects.filter(pk=town.pk).update(
        answer_within_days=1, initiative_threshold=40, support_quorum=150
    )
    html = _page(client, town)
    assert "höchstens 1 Tag." in _item(html, "antwort-frist")
    assert "40 Unterstützer" in _item(html, "initiative-schwelle")
    assert "150 Stimmen" in _item(html, "quorum")


def test_the_charters_promises_are_shown_with_their_numbers(client):
    town = MunicipalityFactory()
    html = _page(client, town)
    assert "Wochen, bevor der Rat entscheidet" not in html
    CharterPromise.objects.create(municipality=town, kind=PromiseKind.LISTED, number=6)
    CharterPromise.objects.create(municipality=town, kind=PromiseKind.FEEDBACK, number=30)
    html = _page(client, town)
    assert "mindestens 6 Wochen, bevor der Rat entscheidet" in html
    assert "binnen 30 Tagen" in html


def test_every_idea_status_is_explained(client):
    html = _page(client, MunicipalityFactory())
    for label in ("Neu", "In Prüfung", "Beantwortet", "Angenommen", "Abgelehnt", "Umgesetzt"):
        assert f"<dt>{label}</dt>" in html


@pytest.mark.parametrize("method", list(METHODS))
def test_each_method_guide_has_its_sections(client, method):
    town = MunicipalityFactory()
    html = client.get(reverse("learning:method", args=[town.slug, method])).content.decode()
    for section in ("wann", "vorbereitung", "ablauf", "aufwand", "barrierefreiheit", "festhalten"):
        assert f'id="{section}"' in html
    # A resident sees the way to record results, not a link they may not follow.
    assert reverse("events:create", args=[town.slug]) not in html


def test_an_unknown_method_is_not_found(client):
    town = MunicipalityFactory()
    url = reverse("learning:method", args=[town.slug, "tanzkurs"])
    assert client.get(url).status_code == 404


def test_staff_reach_the_methods_from_setting_up_a_project(client):
    town = MunicipalityFactory()
    client.force_login(person_with_role(town, Role.COORDINATION))
    html = client.get(reverse("workspace:create", args=[town.slug])).content.decode()
    assert "Methoden für die Beteiligung" in html
    for method in METHODS:
        assert reverse("learning:method", args=[town.slug, method]) in html
    guide = reverse("learning:method", args=[town.slug, "quartiersspaziergang"])
    assert reverse("events:create", args=[town.slug]) in client.get(guide).content.decode()


def test_the_methods_are_listed_on_the_learning_pages(client):
    town = MunicipalityFactory()
    html = _page(client, town)
    assert reverse("learning:methods", args=[town.slug]) in html
    listing = client.get(reverse("learning:methods", args=[town.slug])).content.decode()
    for method in METHODS:
        assert reverse("learning:method", args=[town.slug, method]) in listing

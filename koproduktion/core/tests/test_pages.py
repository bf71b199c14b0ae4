from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.defaults import permission_denied

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.services import tenant_record_delete, tenant_record_save
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_home_lists_public_municipalities(client):
    MunicipalityFactory(name="Musterstadt")
    MunicipalityFactory(name="Geheimdorf", is_public=False)
    html = client.get("/").content.decode()
    assert "Musterstadt" in html
    assert "Geheimdorf" not in html


def test_home_comes_from_the_visitors_cache_and_shows_every_change_of_the_list(client):
    def visit():
        response = client.get("/")
        assert response.status_code == 200
        return response

    MunicipalityFactory(name="Musterstadt", description="Die Stadt am Fluss.")
    hidden = MunicipalityFactory(name="Geheimdorf", is_public=False)
    visit()
    assert visit()["X-Page-Cache"] == "hit"
    admin = UserFactory(is_superuser=True, is_staff=True)

    town = Municipality.objects.get(name="Musterstadt")
    town.name, town.description = "Musterstadt am See", "Die Stadt am Meer."
    tenant_record_save(actor=admin, record=town)
    html = visit().content.decode()
    assert "Musterstadt am See" in html
    assert "Die Stadt am Meer." in html

    hidden.is_public = True
    tenant_record_save(actor=admin, record=hidden)
    assert "Geheimdorf" in visit().content.decode()

    tenant_record_save(actor=admin, record=Municipality(name="Neustadt", slug="neustadt"))
    assert "Neustadt" in visit().content.decode()

    tenant_record_delete(actor=admin, record=Municipality.objects.get(slug="neustadt"))
    assert "Neustadt" not in visit().content.decode()

    client.force_login(admin)
    assert "X-Page-Cache" not in visit()


def test_hidden_municipality_is_seen_by_its_staff_only(client):
    hidden = MunicipalityFactory(is_public=False)
    url = reverse("projects:municipality", args=[hidden.slug])
    assert client.get(url).status_code == 404
    client.force_login(person_with_role(MunicipalityFactory(), Role.STAFF))
    assert client.get(url).status_code == 404
    client.force_login(person_with_role(hidden, Role.STAFF))
    assert client.get(url).status_code == 200


def test_german_by_default_even_for_an_english_browser(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="de">' in response.content.decode()
    assert "Gemeinsam die Kommune gestalten" in response.content.decode()


def test_language_switch_keeps_the_page_and_speaks_english(client):
    town = MunicipalityFactory()
    page = reverse("projects:municipality", args=[town.slug])
    response = client.get(reverse("language", args=["en"]), {"next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html
    assert "Projects" in html
    client.get(reverse("language", args=["de"]), {"next": page})
    assert '<html lang="de">' in client.get(page).content.decode()


def test_not_found_page_is_german_and_helpful(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert 'href="/"' in html


def test_forbidden_page_is_german(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Kein Zugriff" in response.content.decode()


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_language_switch_refuses_foreign_targets_and_unknown_languages(client):
    response = client.get(reverse("language", args=["en"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("language", args=["xx"])).status_code == 404


def test_language_switch_takes_only_a_path_as_the_way_back(client):
    # A plain word is not a page: redirect() would look it up as a URL name and fail.
    for target in ("gibt-es-nicht", "projects:municipality", "//evil.example/"):
        response = client.get(reverse("language", args=["en"]), {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/"


def test_a_form_address_opened_directly_explains_itself(client):
    person = UserFactory(public_name="Lena")
    client.force_login(person)
    response = client.get(reverse("notifications:mark_read"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "Nur über ein Formular" in html
    assert "Mein Konto" in html  # the page knows who is logged in
    api = client.put("/api/v1/municipalities")
    assert api.status_code == 405
    assert api["Content-Type"].startswith("application/json")


def test_an_address_with_a_nul_character_is_a_bad_request_page_of_the_site(client, caplog):
    person = UserFactory(public_name="Lena")
    client.force_login(person)
    for address in ("/gibt%00es/", "/?seite=%00", "/?%00=1"):
        response = client.get(address)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Ungültige Anfrage" in html
        assert "Mein Konto" in html  # the page knows who is logged in
    api = client.get("/api/v1/municipalities?suche=%00")
    assert api.status_code == 400
    assert api.json()["detail"]
    # Logged as a refused request, with no traceback: the server did nothing wrong.
    refused = [r for r in caplog.records if r.name.startswith("django")]
    assert not [r.getMessage() for r in refused if r.exc_info]
    assert [r.status_code for r in refused] == [400] * 4


def test_pages_vary_by_cookie_for_shared_caches(client):
    response = client.get("/healthz")
    assert "Cookie" in response["Vary"]
    assert "Cookie" in client.get("/")["Vary"]

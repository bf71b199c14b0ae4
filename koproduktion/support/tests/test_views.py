"""The pages: the catalogue costs the same for 3 or 30 offers; bad filters are named, never a
server error; forms that fail keep what was typed and say why next to the field."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
)
from koproduktion.initiatives.tests.factories import initiative, resident
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.factories import staff_of as project_staff

from .. import services
from ..models import BuildingBlock, OfferState, SupportLink, SupportOffer
from .factories import DepartmentFactory, coordination_of, expire, funding, in_days, offer, staff_of

pytestmark = pytest.mark.django_db


def _list(town, query: str = "") -> str:
    return reverse("support:list", args=[town.slug]) + (f"?{query}" if query else "")


def _detail(made) -> str:
    return reverse("support:detail", args=[made.municipality.slug, made.pk])


def _many(town, count: int) -> None:
    places = [NeighbourhoodFactory(municipality=town) for _ in range(2)]
    topic = TopicFactory(municipality=town)
    for number in range(count):
        funding(
            town,
            title=f"Fonds {number}",
            deadline=in_days(number + 1),
            neighbourhoods=places,
            topics=[topic],
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_catalogue_costs_the_same_for_few_and_many_offers(
    client, django_assert_max_num_queries
):
    town = MunicipalityFactory()
    _many(town, 3)
    few = _queries(client, _list(town))
    _many(town, 27)
    with django_assert_max_num_queries(few):
        response = client.get(_list(town, "baustein=funding&offen=on"))
    assert few <= 10
    page = response.content.decode()
    assert "30 Angebote" in page
    assert "Seite 1 von 2" in page


def test_an_offers_page_has_a_query_budget(client, django_assert_max_num_queries):
    town = MunicipalityFactory()
    made = funding(town, neighbourhoods=[NeighbourhoodFactory(municipality=town)])
    project = ProjectFactory(municipality=made.municipality)
    services.support_link_create(actor=project_staff(project), offer=made, project=project)
    with django_assert_max_num_queries(8):
        response = client.get(_detail(made))
    assert project.title in response.content.decode()


def test_the_deadline_is_shown_in_words(client):
    town = MunicipalityFactory()
    funding(town, title="Bald", deadline=in_days(12))
    offer(town, title="Immer")
    expire(funding(town, title="Vorbei"))
    page = client.get(_list(town)).content.decode()
    assert "noch 12 Tage" in page
    assert "laufend" in page
    assert "Frist abgelaufen" in page
    assert page.index("Bald") < page.index("Immer") < page.index("Vorbei")


@pytest.mark.parametrize(
    "query",
    [
        "baustein=gibt-es-nicht",
        "quartier=gibt-es-nicht",
        "thema=" + "x" * 90,
        "seite=abc",
        "offen=x",
    ],
)
def test_unknown_filters_are_named_and_filter_nothing(client, query):
    made = offer()
    response = client.get(_list(made.municipality, query))
    assert response.status_code == 200
    page = response.content.decode()
    assert made.title in page
    if not query.startswith(("seite", "offen")):
        assert "Einen Filter gibt es so nicht" in page


def test_drafts_are_not_found_by_the_public_and_cross_town_ids_neither(client):
    draft = offer(state=OfferState.DRAFT)
    assert client.get(_detail(draft)).status_code == 404
    other = offer()
    url = reverse("support:detail", args=[draft.municipality.slug, other.pk])
    assert client.get(url).status_code == 404


def test_a_create_form_with_a_past_deadline_keeps_the_input(client):
    town = MunicipalityFactory()
    client.force_login(coordination_of(town))
    response = client.post(
        reverse("support:create", args=[town.slug]),
        {
            "title": "Verfügungsfonds Nord",
            "building_block": BuildingBlock.ADVICE,
            "summary": "Zuschüsse.",
            "deadline": in_days(-3).isoformat(),
            "amount_max_cents": "5.000",
            "state": OfferState.PUBLISHED,
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Vergangenheit" in form.errors["deadline"][0]
    page = response.content.decode()
    assert 'value="Verfügungsfonds Nord"' in page
    assert 'value="5.000"' in page
    assert not SupportOffer.objects.exists()


def test_an_amount_on_advice_is_refused_next_to_the_amount(client):
    town = MunicipalityFactory()
    client.force_login(coordination_of(town))
    response = client.post(
        reverse("support:create", args=[town.slug]),
        {
            "title": "Beratung",
            "building_block": BuildingBlock.ADVICE,
            "summary": "Wir beraten.",
            "amount_max_cents": "100",
            "state": OfferState.PUBLISHED,
        },
    )
    assert response.status_code == 400
    assert "nur bei Förderangeboten" in response.context["form"].errors["amount_max_cents"][0]


def test_staff_create_an_offer_and_it_stands_in_the_catalogue(client):
    town = MunicipalityFactory()
    department = DepartmentFactory(municipality=town)
    client.force_login(staff_of(department))
    response = client.post(
        reverse("support:create", args=[town.slug]),
        {
            "title": "Kleinprojektefonds",
            "building_block": BuildingBlock.FUNDING,
            "summary": "Bis zu 1.500 Euro.",
            "description": "Antrag *formlos*.",
            "department": department.pk,
            "amount_max_cents": "1.500",
            "deadline": in_days(20).isoformat(),
            "contact_email": "fonds@example.org",
            "contact_url": "example.org/fonds",
            "state": OfferState.PUBLISHED,
        },
        follow=True,
    )
    assert response.status_code == 200
    made = SupportOffer.objects.get()
    assert made.amount_max_cents == 150000
    assert made.contact_url == "https://example.org/fonds"
    assert "<em>formlos</em>" in response.content.decode()
    assert "Kleinprojektefonds" in client.get(_list(town)).content.decode()


def test_staff_of_another_department_may_not_edit(client):
    town = MunicipalityFactory()
    made = offer(town, department=DepartmentFactory(municipality=town))
    client.force_login(staff_of(DepartmentFactory(municipality=town)))
    url = reverse("support:edit", args=[town.slug, made.pk])
    assert client.get(url).status_code == 403
    client.force_login(resident(town))
    assert client.get(url).status_code == 403


def test_archiving_through_the_page(client):
    made = offer()
    client.force_login(coordination_of(made.municipality))
    client.post(reverse("support:archive", args=[made.municipality.slug, made.pk]))
    made.refresh_from_db()
    assert made.state == OfferState.ARCHIVED
    assert made.title not in client.get(_list(made.municipality)).content.decode()
    assert "archiviert" in client.get(_detail(made)).content.decode()


def _link_url(theirs) -> str:
    return reverse("support:link_initiative", args=[theirs.municipality.slug, theirs.slug])


def test_linking_an_offer_whose_deadline_passed_keeps_the_note(client):
    made = expire(funding())
    theirs = initiative(made.municipality)
    client.force_login(theirs.created_by)
    response = client.post(_link_url(theirs), {"offer": made.pk, "note": "Für die Werkzeuge"})
    assert response.status_code == 400
    assert response.context["form"].errors["offer"] == ["Die Frist dieses Angebots ist abgelaufen."]
    assert "Für die Werkzeuge" in response.content.decode()
    assert not SupportLink.objects.exists()


def test_an_initiator_links_an_offer_and_the_initiatives_page_shows_it(client):
    made = funding(title="Verfügungsfonds Nord")
    theirs = initiative(made.municipality)
    client.force_login(theirs.created_by)
    page = client.get(_link_url(theirs) + f"?angebot={made.pk}").content.decode()
    assert f'value="{made.pk}" selected' in page
    response = client.post(_link_url(theirs), {"offer": made.pk, "note": "Antrag läuft"})
    assert response.status_code == 302
    client.logout()
    detail = reverse("initiatives:detail", args=[theirs.municipality.slug, theirs.slug])
    page = client.get(detail).content.decode()
    assert "Unterstützung für dieses Vorhaben" in page
    assert "Verfügungsfonds Nord" in page
    assert "Antrag läuft" in page
    assert theirs.title in client.get(_detail(made)).content.decode()


def test_a_neighbour_may_not_open_the_link_form(client):
    theirs = initiative()
    client.force_login(resident(theirs.municipality))
    assert client.get(_link_url(theirs)).status_code == 403


def test_a_projects_page_shows_its_offers_to_visitors(client):
    made = funding(title="Landesprogramm")
    project = ProjectFactory(municipality=made.municipality)
    url = reverse("projects:detail", args=[project.municipality.slug, project.slug])
    assert "Landesprogramm" not in client.get(url).content.decode()  # cached now
    services.support_link_create(actor=project_staff(project), offer=made, project=project)
    page = client.get(url).content.decode()
    assert "Unterstützung für dieses Vorhaben" in page
    assert "Landesprogramm" in page


def test_unlinking_from_the_projects_link_page(client):
    made = funding()
    project = ProjectFactory(municipality=made.municipality)
    manager = project_staff(project)
    link = services.support_link_create(actor=manager, offer=made, project=project)
    client.force_login(manager)
    url = reverse("support:unlink_project", args=[project.municipality.slug, project.slug, link.pk])
    assert client.post(url).status_code == 302
    assert not SupportLink.objects.exists()


def test_the_csv_export_keeps_formulas_out(client):
    town = MunicipalityFactory()
    offer(town, title="=HYPERLINK(1)")
    response = client.get(reverse("support:csv", args=[town.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in response.content.decode()


# --- API --------------------------------------------------------------------------------------


def _api(town, path: str = "") -> str:
    return f"/api/v1/municipalities/{town.slug}/support-offers{path}"


def test_the_api_lists_with_the_pages_filters(client):
    town = MunicipalityFactory()
    funding(town, title="Geld")
    offer(town, title="Rat")
    expire(funding(town, title="Vorbei"))
    offer(town, title="Entwurf", state=OfferState.DRAFT)
    data = client.get(_api(town), {"building_block": "funding", "open_only": "true"}).json()
    assert [item["title"] for item in data["items"]] == ["Geld"]
    assert data["items"][0]["amount_max_cents"] == 500000
    every = client.get(_api(town)).json()
    assert [item["title"] for item in every["items"]] == ["Geld", "Rat", "Vorbei"]
    assert every["items"][2]["deadline_passed"] is True


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"topic": "gibt-es-nicht"}, 400),
        ({"neighbourhood": "gibt-es-nicht"}, 400),
        ({"building_block": "geld"}, 422),
        ({"open_only": "vielleicht"}, 422),
    ],
)
def test_an_unknown_filter_answers_with_a_reason(client, query, status):
    town = MunicipalityFactory()
    response = client.get(_api(town), query)
    assert response.status_code == status
    assert response.json()["detail"]


def test_the_api_detail_and_links(client):
    made = funding(contact_email="fonds@example.org")
    project = ProjectFactory(municipality=made.municipality, title="Quartierstreff")
    services.support_link_create(
        actor=project_staff(project), offer=made, project=project, note="Antrag"
    )
    hidden = ProjectFactory(municipality=made.municipality, is_published=False)
    services.support_link_create(actor=project_staff(hidden), offer=made, project=hidden)
    detail = client.get(_api(made.municipality, f"/{made.pk}")).json()
    assert detail["contact"]["email"] == "fonds@example.org"
    links = client.get(_api(made.municipality, f"/{made.pk}/links")).json()
    assert links == [
        {
            "kind": "project",
            "slug": project.slug,
            "title": "Quartierstreff",
            "note": "Antrag",
            "linked_at": links[0]["linked_at"],
        }
    ]
    draft = offer(made.municipality, state=OfferState.DRAFT)
    assert client.get(_api(made.municipality, f"/{draft.pk}")).status_code == 404
    other_town = MunicipalityFactory()
    assert client.get(_api(other_town, f"/{made.pk}")).status_code == 404

"""The pages: public with small counts hidden, staff in full, filters, CSV, links, cost."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from koproduktion.activity.models import FunnelRun
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import PASSWORD, person_with_role

from . import world as w

pytestmark = pytest.mark.django_db


def _client(person=None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _public(made: w.World, query: str = "") -> str:
    return reverse("activity:public", args=[made.town.slug]) + query


def _staff(made: w.World, query: str = "") -> str:
    return reverse("activity_staff:staff", args=[made.town.slug]) + query


def _admin(made: w.World):
    return person_with_role(made.town, Role.ADMIN)


def test_the_town_page_and_its_footer_link_to_the_public_figures(town):
    page = _client().get(reverse("projects:municipality", args=[town.town.slug]))
    assert page.content.decode().count(f'href="{_public(town)}"') == 2


def test_the_public_sees_rounded_counts_and_fewer_than_five(town):
    page = _client().get(_public(town)).content.decode()
    total = page.split('<th scope="row">insgesamt</th>')[1].split("</tr>")[0]
    assert [cell.split(">")[1].split("<")[0] for cell in total.split("<td")[1:]] == [
        "10",
        "5 (50 %)",
        "weniger als 5",
        "5",
        "weniger als 5",
    ]
    assert "12" not in total
    assert 'role="img"' in page
    assert '<title id="chart-funnel-title">' in page


def test_staff_see_the_exact_counts_and_the_shares(town):
    page = _client(_admin(town)).get(_staff(town)).content.decode()
    total = page.split('<th scope="row">insgesamt</th>')[1].split("</tr>")[0]
    assert [cell.split(">")[1].split("<")[0] for cell in total.split("<td")[1:]] == [
        "12",
        "6 (50 %)",
        "4 (67 %)",
        "5 (125 %)",
        "3 (60 %)",
    ]


def test_the_staff_page_is_linked_from_the_administration_and_closed_to_residents(town):
    overview = _client(_admin(town)).get(reverse("townadmin:overview", args=[town.town.slug]))
    assert f'href="{_staff(town)}"' in overview.content.decode()
    resident = person_with_role(town.town, Role.RESIDENT)
    assert _client(resident).get(_staff(town)).status_code == 403
    assert _client().get(_staff(town)).status_code == 302  # to the log-in
    coordination = person_with_role(town.town, Role.COORDINATION)
    assert _client(coordination).get(_staff(town)).status_code == 200


def test_a_neighbourhood_and_a_project_can_be_chosen(town):
    page = _client().get(_public(town, f"?quartier={town.n1.slug}")).content.decode()
    assert f"<h1>Beteiligung in Zahlen: {town.n1.name}</h1>" in page
    staff = _client(_admin(town)).get(_staff(town, f"?vorhaben={town.b.slug}")).content.decode()
    total = staff.split('<th scope="row">insgesamt</th>')[1].split("</tr>")[0]
    assert total.count("<td") == 5
    assert ">3<" in total


@pytest.mark.parametrize(
    "query", ["?quartier=gibt-es-nicht", "?vorhaben=%C3%A4%20x&quartier=", "?vorhaben=x"]
)
def test_an_unknown_filter_shows_the_town_with_a_message(town, query):
    response = _client().get(_public(town, query))
    assert response.status_code == 200
    assert "Diesen Filter gibt es hier nicht" in response.content.decode()


def test_a_draft_project_is_no_filter_for_the_public(town):
    town.b.is_published = False
    town.b.save()
    public = _client().get(_public(town, f"?vorhaben={town.b.slug}")).content.decode()
    assert "Diesen Filter gibt es hier nicht" in public
    staff = _client(_admin(town)).get(_staff(town, f"?vorhaben={town.b.slug}")).content.decode()
    assert "Diesen Filter gibt es hier nicht" not in staff


def test_the_population_comparison_flags_the_neighbourhood_far_below(town):
    page = _client(_admin(town)).get(_staff(town)).content.decode()
    rows = page.split('id="quartiere"')[1]
    n2 = rows.split(town.n2.name)[1].split("</tr>")[0]
    assert "0,6" in n2
    assert "weit unter dem Schnitt der Kommune" in n2
    n1 = rows.split(town.n1.name)[1].split("</tr>")[0]
    assert "7,0" in n1
    assert "weit unter" not in n1


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_holds_the_figures_as_shown(town):
    public = _csv(_client().get(reverse("activity:public_csv", args=[town.town.slug])))
    assert public[0][:3] == [
        "Zeitraum",
        "Partizipation",
        "Partizipation: Anteil der Stufe davor (%)",
    ]
    assert public[1] == [
        "insgesamt",
        "10",
        "",
        "5",
        "50",
        "weniger als 5",
        "",
        "5",
        "",
        "weniger als 5",
        "",
    ]
    staff = _csv(
        _client(_admin(town)).get(reverse("activity_staff:staff_csv", args=[town.town.slug]))
    )
    assert staff[1] == ["insgesamt", "12", "", "6", "50", "4", "67", "5", "125", "3", "60"]
    month = town.months[2].strftime("%Y-%m")
    assert next(row for row in staff if row[0] == month)[1:10:2] == ["5", "2", "2", "3", "2"]
    reach = staff[staff.index(["Quartier", "Einwohner*innen", "Beteiligte", "je 1.000"]) + 1 :]
    assert [town.n2.name, "8000", "5", "0.6"] in reach
    resident = person_with_role(town.town, Role.RESIDENT)
    assert (
        _client(resident)
        .get(reverse("activity_staff:staff_csv", args=[town.town.slug]))
        .status_code
        == 403
    )


def test_the_public_page_is_a_few_queries_and_then_comes_from_the_cache(
    town, django_assert_max_num_queries
):
    client = _client()
    with django_assert_max_num_queries(8):
        first = client.get(_public(town))
    with django_assert_max_num_queries(4):
        again = client.get(_public(town))
    assert first.content == again.content


def test_the_staff_page_costs_the_same_few_queries(town, django_assert_max_num_queries):
    client = _client(_admin(town))
    client.get(_staff(town))
    with django_assert_max_num_queries(14):
        client.get(_staff(town))


def test_figures_are_computed_when_acts_wait_and_none_were(town):
    FunnelRun.objects.all().delete()
    cache.clear()
    page = _client().get(_public(town)).content.decode()
    assert "Noch nicht berechnet" not in page
    assert FunnelRun.objects.filter(municipality=town.town).exists()


def test_the_neighbourhood_form_takes_the_number_of_residents(town):
    admin = _admin(town)
    url = reverse("townadmin:neighbourhood", args=[town.town.slug, town.n1.pk])
    response = _client(admin).post(
        url, {"name": town.n1.name, "description": "", "population": "2500"}
    )
    assert response.status_code == 302
    town.n1.refresh_from_db()
    assert town.n1.population == 2500
    bad = _client(admin).post(url, {"name": town.n1.name, "population": "-3"})
    assert bad.status_code == 400
    assert 'value="-3"' in bad.content.decode()


def test_another_towns_admin_gets_no_figures(town):
    other = w.build()
    stranger = person_with_role(other.town, Role.ADMIN, password=PASSWORD)
    assert _client(stranger).get(_staff(town)).status_code == 403

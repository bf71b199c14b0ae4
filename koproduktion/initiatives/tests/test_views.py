"""The pages: bad input keeps what was typed and names the field; contacts stay hidden until
an offer is accepted; drafts stay with their initiators; the API shows public ones only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import DepartmentFactory, person_with_role

from .. import services
from ..models import Initiative, NeedOffer, State
from .factories import initiative, need, requested, resident, staff_of, town

pytestmark = pytest.mark.django_db


def _url(made, name="initiatives:detail", *extra):
    return reverse(name, args=[made.municipality.slug, made.slug, *extra])


def test_a_bad_start_form_keeps_the_input_and_stores_nothing(client):
    place = town()
    client.force_login(resident(place))
    response = client.post(
        reverse("initiatives:start", args=[place.slug]),
        {"title": "Bücherschrank", "summary": "", "why": "<script>x</script>", "publish": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Bücherschrank"' in page
    form = response.context["form"]
    assert "summary" in form.errors
    assert "why" in form.errors
    assert not Initiative.objects.exists()


def test_starting_through_the_form(client):
    place = town()
    client.force_login(resident(place))
    response = client.post(
        reverse("initiatives:start", args=[place.slug]),
        {
            "title": "Offener Bücherschrank",
            "summary": "Ein Schrank für Bücher zum Tauschen.",
            "why": "Damit Bücher weiterwandern.",
            "publish": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    made = Initiative.objects.get()
    assert made.state == State.COLLECTING
    assert "Offener Bücherschrank" in response.content.decode()


def test_a_draft_is_seen_by_its_initiators_only(client):
    made = initiative(publish=False)
    assert client.get(_url(made)).status_code == 404
    client.force_login(resident(made.municipality))
    assert client.get(_url(made)).status_code == 404
    client.force_login(made.created_by)
    assert client.get(_url(made)).status_code == 200


def test_unknown_filters_are_named_not_applied(client):
    made = initiative()
    response = client.get(
        reverse("initiatives:list", args=[made.municipality.slug]) + "?zustand=gibtsnicht"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Einen Filter gibt es so nicht" in page
    assert made.title in page


def test_the_list_filters_by_state(client):
    place = town()
    collecting = initiative(place, title="Sammelt")
    requested(place)
    response = client.get(reverse("initiatives:list", args=[place.slug]) + "?zustand=requested")
    page = response.content.decode()
    assert collecting.title not in page.split("<main", 1)[1]
    assert "Gemeinschaftsgarten" in page


def test_contacts_show_only_after_acceptance(client):
    made = initiative(contact="0555 12345")
    wanted = need(made)
    helper = resident(made.municipality)
    offer = services.need_offer(
        actor=helper, need=wanted, message="Ich habe zwei Spaten.", contact="0555 99999"
    )
    client.force_login(helper)
    assert "0555 12345" not in client.get(_url(made)).content.decode()
    client.force_login(made.created_by)
    page = client.get(_url(made)).content.decode()
    assert "Ich habe zwei Spaten." in page
    assert "0555 99999" not in page
    response = client.post(
        _url(made, "initiatives:offer_answer", offer.pk), {"antwort": "ja"}, follow=True
    )
    assert "0555 99999" in response.content.decode()
    client.force_login(helper)
    assert "0555 12345" in client.get(_url(made)).content.decode()
    # Others never see offers or contacts.
    client.force_login(resident(made.municipality))
    page = client.get(_url(made)).content.decode()
    assert "0555 99999" not in page
    assert "Ich habe zwei Spaten." not in page


def test_a_bad_offer_keeps_the_input(client):
    made = initiative()
    wanted = need(made)
    client.force_login(resident(made.municipality))
    response = client.post(
        _url(made, "initiatives:offer", wanted.pk), {"message": "", "contact": "0555 1"}
    )
    assert response.status_code == 400
    assert 'value="0555 1"' in response.content.decode()
    assert "message" in response.context["form"].errors
    assert not NeedOffer.objects.exists()


def test_declining_without_a_reason_is_refused_at_the_field(client):
    made = requested()
    client.force_login(person_with_role(made.municipality, Role.COORDINATION))
    response = client.post(_url(made, "initiatives:review"), {"antwort": "ablehnen", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["decline_form"].errors
    assert Initiative.objects.get(pk=made.pk).state == State.REQUESTED


def test_staff_accept_through_the_page_and_the_project_names_the_initiators(client):
    made = requested()
    department = DepartmentFactory(municipality=made.municipality)
    clerk = staff_of(department)
    client.force_login(clerk)
    queue = client.get(reverse("initiatives:queue", args=[made.municipality.slug]))
    assert made.title in queue.content.decode()
    response = client.post(
        _url(made, "initiatives:review"),
        {"antwort": "annehmen", "department": department.pk, "contact_person": clerk.pk},
        follow=True,
    )
    assert response.status_code == 200
    made.refresh_from_db()
    assert made.state == State.ACCEPTED
    project_page = client.get(
        reverse("projects:detail", args=[made.municipality.slug, made.project.slug])
    ).content.decode()
    assert str(made.created_by) in project_page
    assert "Aus einer Initiative" in project_page


def test_residents_cannot_open_the_queue(client):
    place = town()
    client.force_login(resident(place))
    assert client.get(reverse("initiatives:queue", args=[place.slug])).status_code == 403


def test_the_api_lists_public_initiatives_and_open_needs(client):
    place = town()
    made = initiative(place)
    need(made)
    initiative(place, publish=False, title="Geheimer Entwurf")
    listed = client.get(f"/api/v1/municipalities/{place.slug}/initiatives").json()
    assert [item["slug"] for item in listed["items"]] == [made.slug]
    detail = client.get(f"/api/v1/municipalities/{place.slug}/initiatives/{made.slug}").json()
    assert detail["initiators"] == [str(made.created_by)]
    assert "contact" not in detail
    needs = client.get(f"/api/v1/municipalities/{place.slug}/needs").json()
    assert len(needs["items"]) == 1
    bad = client.get(f"/api/v1/municipalities/{place.slug}/initiatives?topic=gibtsnicht")
    assert bad.status_code == 400
    assert "Thema" in bad.json()["detail"]

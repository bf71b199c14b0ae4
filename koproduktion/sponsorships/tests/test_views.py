from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.notifications.models import Notification
from koproduktion.sponsorships import services
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory

pytestmark = pytest.mark.django_db


def test_visitors_see_the_register_and_an_object(client):
    obj = SponsorshipObjectFactory()
    town = obj.municipality.slug
    assert obj.name in client.get(reverse("sponsorships:list", args=[town])).content.decode()
    html = client.get(reverse("sponsorships:detail", args=[town, obj.pk])).content.decode()
    assert "sucht Pat*innen" in html
    response = client.post(reverse("sponsorships:detail", args=[town, obj.pk]), {})
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def test_a_filter_the_register_does_not_offer_is_named_on_the_page(client):
    obj = SponsorshipObjectFactory()
    url = reverse("sponsorships:list", args=[obj.municipality.slug])
    html = client.get(url, {"art": "vulkan"}).content.decode()
    assert "vulkan ist keine gültige Auswahl" in html
    assert obj.name in html  # the valid part of the filters still applies: all objects


def test_register_costs_the_same_with_many_objects(client):
    obj = SponsorshipObjectFactory()
    url = reverse("sponsorships:list", args=[obj.municipality.slug])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)
    few = count()
    SponsorshipObjectFactory.create_batch(20, municipality=obj.municipality)
    assert count() == few


def test_apply_and_approve_through_the_pages(client):
    obj = SponsorshipObjectFactory()
    town = obj.municipality.slug
    client.force_login(person_with_role(obj.municipality, Role.RESIDENT))
    response = client.post(
        reverse("sponsorships:detail", args=[town, obj.pk]), {"motivation": "Ich wohne nebenan."}
    )
    assert response.status_code == 302
    sponsorship = Sponsorship.objects.get()
    client.force_login(person_with_role(obj.municipality, Role.STAFF))
    assert client.get(reverse("sponsorships:applications", args=[town])).status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("sponsorships:decide", args=[town, sponsorship.pk]),
        {
            "action": "approve",
            "term_start": f"{today:%Y-%m-%d}",
            "term_end": f"{today.replace(year=today.year + 1):%Y-%m-%d}",
            "duties": "Gießen",
        },
    )
    assert response.status_code == 302
    sponsorship.refresh_from_db()
    assert sponsorship.status == SponsorshipStatus.APPROVED
    assert client.get(reverse("sponsorships:create", args=[town])).status_code == 200


def test_residents_cannot_open_the_staff_pages(client):
    obj = SponsorshipObjectFactory()
    client.force_login(person_with_role(obj.municipality, Role.RESIDENT))
    assert (
        client.get(reverse("sponsorships:applications", args=[obj.municipality.slug])).status_code
        == 403
    )


def _object_form_data(obj, **changes):
    data = {
        "kind": obj.kind,
        "name": obj.name,
        "description": obj.description,
        "duties": obj.duties,
        "neighbourhood": "",
        "address": obj.address,
        "latitude": str(obj.latitude),
        "longitude": str(obj.longitude),
    }
    return data | changes


@pytest.mark.parametrize("name", ["edit", "retire"])
def test_residents_and_visitors_are_refused_the_register_pages(client, name):
    obj = SponsorshipObjectFactory()
    url = reverse(f"sponsorships:{name}", args=[obj.municipality.slug, obj.pk])
    data = _object_form_data(obj, name="Umbenannt") | {"reason": "Gefällt"}
    for method in (client.get, client.post):
        response = method(url, data)
        assert response.status_code == 302
        assert "/konto/anmelden/" in response["Location"]
    client.force_login(person_with_role(obj.municipality, Role.RESIDENT))
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    client.force_login(person_with_role(MunicipalityFactory(), Role.STAFF))
    assert client.post(url, data).status_code == 403
    obj.refresh_from_db()
    assert obj.name != "Umbenannt"
    assert obj.is_active


def test_staff_edit_an_object_and_wrong_input_is_kept(client):
    obj = SponsorshipObjectFactory(name="Linde am Markt")
    town = obj.municipality
    town.area_south, town.area_west, town.area_north, town.area_east = 52.0, 9.0, 52.2, 9.5
    town.save()
    client.force_login(person_with_role(town, Role.STAFF))
    url = reverse("sponsorships:edit", args=[town.slug, obj.pk])
    detail = client.get(reverse("sponsorships:detail", args=[town.slug, obj.pk])).content.decode()
    assert f'href="{url}"' in detail
    assert 'value="Linde am Markt"' in client.get(url).content.decode()

    response = client.post(
        url, _object_form_data(obj, name="Linde am Rathaus", latitude="48.1", longitude="11.5")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "außerhalb" in html
    assert 'value="Linde am Rathaus"' in html
    assert 'value="48.1"' in html
    obj.refresh_from_db()
    assert obj.name == "Linde am Markt"

    response = client.post(url, _object_form_data(obj, name="Linde am Rathaus"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sponsorships:detail", args=[town.slug, obj.pk])
    obj.refresh_from_db()
    assert obj.name == "Linde am Rathaus"
    page = client.get(response["Location"]).content.decode()
    assert "Die Änderungen sind gespeichert." in page


def test_staff_take_an_object_off_the_register(client):
    obj = SponsorshipObjectFactory(name="Alte Eiche")
    town = obj.municipality
    staff = person_with_role(town, Role.STAFF)
    resident = person_with_role(town, Role.RESIDENT)
    services.sponsorship_apply(actor=resident, obj=obj)
    client.force_login(staff)
    url = reverse("sponsorships:retire", args=[town.slug, obj.pk])
    page = client.get(url).content.decode()
    assert resident.public_name in page
    assert 'name="csrfmiddlewaretoken"' in page

    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Bitte nennen Sie den Grund" in response.content.decode()
    obj.refresh_from_db()
    assert obj.is_active

    response = client.post(url, {"reason": "Sturmschaden, die Eiche wurde gefällt."})
    assert response.status_code == 302
    detail = reverse("sponsorships:detail", args=[town.slug, obj.pk])
    assert response["Location"] == detail
    obj.refresh_from_db()
    assert not obj.is_active
    assert Sponsorship.objects.get().status == SponsorshipStatus.REJECTED
    assert "Sturmschaden" in Notification.objects.get(user=resident).message

    html = client.get(detail).content.decode()
    assert "aus dem Register genommen" in html  # the success message
    assert "nicht mehr im Register" in html
    assert url not in html
    assert 'name="motivation"' not in html
    listing = client.get(reverse("sponsorships:list", args=[town.slug])).content.decode()
    assert "Alte Eiche" not in listing
    # A second visit to the confirmation page leads back to the object.
    assert client.get(url)["Location"] == detail

    client.force_login(resident)
    html = client.get(detail).content.decode()
    assert "nicht mehr im Register" in html
    assert 'name="motivation"' not in html
    assert reverse("sponsorships:edit", args=[town.slug, obj.pk]) not in html

    # They find the notice among their sponsorship notices.
    inbox = client.get(reverse("notifications:inbox"), {"art": "sponsorship"}).content.decode()
    assert '<option value="sponsorship" selected>Patenschaft</option>' in inbox
    assert "Art: </span>Patenschaft</span>" in inbox
    assert "Sturmschaden, die Eiche wurde gefällt." in inbox

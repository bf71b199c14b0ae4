from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
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

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from koproduktion.implementation.models import Commitment, Milestone, Shift, Task, Update
from koproduktion.sponsorships.models import Sponsorship, SponsorshipObject

pytestmark = pytest.mark.django_db

MODELS = (Milestone, Task, Shift, Commitment, Update, SponsorshipObject, Sponsorship)


def test_demo_implementation_is_there_once(client):
    call_command("seed_demo", stdout=StringIO())
    first = [model.objects.count() for model in MODELS]
    assert all(first), first
    call_command("seed_demo", stdout=StringIO())
    assert [model.objects.count() for model in MODELS] == first
    for url in (
        "/musterstadt/vorhaben/quartierstreff-nordstadt/",
        "/musterstadt/vorhaben/quartierstreff-nordstadt/umsetzung/",
        "/musterstadt/vorhaben/quartierstreff-nordstadt/umsetzung/aufgaben/",
        "/musterstadt/umsetzung/",
        "/musterstadt/patenschaften/",
    ):
        assert client.get(url).status_code == 200, url

from __future__ import annotations

import factory

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.sponsorships.models import ObjectKind, SponsorshipObject


class SponsorshipObjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SponsorshipObject

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = ObjectKind.TREE
    name = factory.Sequence(lambda n: f"Linde Nr. {n}")
    latitude = 52.12
    longitude = 9.35

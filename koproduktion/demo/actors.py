"""Local actors in the demo town: one proposal waiting for the town's admins (the profiles and
representatives themselves come with the town's data, ``data.py``)."""

from __future__ import annotations

from koproduktion.accounts.models import User
from koproduktion.actors.models import RepresentationRequest
from koproduktion.actors.services import organisation_propose
from koproduktion.core.models import Municipality


def seed_actors() -> None:
    municipality = Municipality.objects.get(slug="musterstadt")
    if RepresentationRequest.objects.filter(municipality=municipality).exists():
        return
    organisation_propose(
        actor=User.objects.get(email="anwohnerin@musterstadt.example"),
        municipality=municipality,
        name="Gemeinschaftsgarten Nordstadt",
        kind="initiative",
        description="Wir gärtnern gemeinsam auf der Brache hinter dem Nordplatz.",
        message="Ich habe den Garten 2023 mitgegründet und organisiere die Gießdienste.",
    )

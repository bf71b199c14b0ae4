"""A town with public records beside what must stay out of its open data: drafts, hidden and
withdrawn contributions, a poll whose results are not yet public, unconfirmed organisations,
draft initiatives, a second town, and the names and addresses of the people who wrote."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.decisions.models import Decision, ResultsVisibility
from koproduktion.decisions.services import ballot_cast
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory, closed
from koproduktion.events.tests.factories import EventFactory
from koproduktion.ideas.models import Source
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.implementation.models import MilestoneStatus, Update
from koproduktion.implementation.tests.factories import MilestoneFactory
from koproduktion.initiatives.tests.factories import initiative
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import PhaseChange, Project
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory

# Words that must not appear anywhere in the town's open data.
SECRETS = (
    "ENTWURF-GEHEIM",
    "AUSGEBLENDET-GEHEIM",
    "ZURUECKGEZOGEN-GEHEIM",
    "KOMMENTAR-AUSGEBLENDET",
    "ANDERE-STADT",
    "UNBESTAETIGT-GEHEIM",
    "INITIATIVE-ENTWURF",
    "LAUFEND-GEHEIM",
    "VERANSTALTUNG-ENTWURF",
    "Erika Mustermann",
    "Autorin Sichtbar",
    "autorin@example.org",
    "verein-kontakt@example.org",
)


@dataclass
class World:
    town: Municipality
    project: Project
    draft: Project
    other: Municipality


def _decision(project: Project | None, town: Municipality, title: str, days_ago: int) -> Decision:
    return Decision.objects.create(
        municipality=town,
        project=project,
        title=title,
        body="council",
        decided_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        outcome="adopted",
        reasons="Weil es dem Quartier hilft.",
    )


def build_world() -> World:
    town = MunicipalityFactory(name="Lindenau", slug="lindenau")
    other = MunicipalityFactory(name="Anderswo", slug="anderswo")
    project = ProjectFactory(
        municipality=town, title="Spielplatz Lindenpark", slug="spielplatz", phase=PhaseKind.DECISION,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )  # fmt: skip
    draft = ProjectFactory(municipality=town, title="ENTWURF-GEHEIM", is_published=False)
    PhaseFactory(project=project, kind=PhaseKind.DIALOGUE)
    PhaseFactory(project=draft, description="ENTWURF-GEHEIM")
    PhaseChange.objects.create(
        municipality=town, project=project, from_phase="information", to_phase="dialogue",
        note="Jetzt sind Ihre Ideen gefragt.",
    )  # fmt: skip
    PhaseChange.objects.create(
        municipality=town, project=draft, from_phase="information", to_phase="dialogue",
        note="ENTWURF-GEHEIM",
    )  # fmt: skip

    writer = UserFactory(public_name="Autorin Sichtbar", email="autorin@example.org")
    idea = IdeaFactory(project=project, author=writer, title="Mehr Schaukeln", latitude=51.3,
                       longitude=12.3, address="Lindenpark")  # fmt: skip
    IdeaFactory(
        project=project, author=None, source=Source.PAPER, contributor_name="Erika Mustermann",
        title="Eine Rutsche für Kleine", text="=HYPERLINK(\"https://evil.example\")",
    )  # fmt: skip
    IdeaFactory(project=project, title="AUSGEBLENDET-GEHEIM", hidden_at=timezone.now())
    IdeaFactory(project=project, title="ZURUECKGEZOGEN-GEHEIM", withdrawn_at=timezone.now())
    IdeaFactory(project=draft, title="ENTWURF-GEHEIM")
    first = CommentFactory(idea=idea, author=writer, text="Gute Idee, dafür!", stance="pro")
    CommentFactory(idea=idea, parent=first, text="Antwort darauf.", is_official=True)
    CommentFactory(idea=idea, text="KOMMENTAR-AUSGEBLENDET", hidden_at=timezone.now())

    poll = PollFactory(project=project, title="Welche Geräte?")
    option = PollOptionFactory(poll=poll, title="Schaukel", idea=idea)
    PollOptionFactory(poll=poll, title="Wippe")
    for _ in range(2):
        ballot_cast(voter=person_with_role(town, Role.RESIDENT), poll=poll, choices={option.pk: 1})
    closed(poll)
    running = PollFactory(project=project, results_visibility=ResultsVisibility.AFTER_CLOSE)
    PollOptionFactory(poll=running, title="LAUFEND-GEHEIM")

    _decision(project, town, "Spielplatz wird gebaut", 3)
    _decision(None, town, "Haushalt beschlossen", 5)
    _decision(draft, town, "ENTWURF-GEHEIM", 1)

    milestone = MilestoneFactory(project=project, status=MilestoneStatus.DELAYED,
                                 delay_reason="Lieferung verspätet")  # fmt: skip
    MilestoneFactory(project=draft, title="ENTWURF-GEHEIM")
    Update.objects.create(municipality=town, project=project, milestone=milestone,
                          posted_as="Grünflächenamt", text="Die Geräte sind bestellt.")  # fmt: skip
    Update.objects.create(municipality=town, project=draft, text="ENTWURF-GEHEIM")

    EventFactory(project=project, title="Spielplatz-Werkstatt")
    EventFactory(project=None, municipality=town, title="VERANSTALTUNG-ENTWURF",
                 is_published=False)  # fmt: skip
    EventFactory(project=draft, title="ENTWURF-GEHEIM")

    initiative(town, title="Gemeinschaftsgarten am Bahnhof")
    initiative(town, publish=False, title="INITIATIVE-ENTWURF")
    OrganisationFactory(municipality=town, name="Bürgerverein Lindenau",
                        contact_email="verein-kontakt@example.org")  # fmt: skip
    OrganisationFactory(municipality=town, name="UNBESTAETIGT-GEHEIM", verified_at=None)

    other_project = ProjectFactory(municipality=other, title="ANDERE-STADT")
    IdeaFactory(project=other_project, title="ANDERE-STADT")
    _decision(other_project, other, "ANDERE-STADT", 2)
    return World(town=town, project=project, draft=draft, other=other)

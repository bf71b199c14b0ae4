"""A town to search: a published project and a draft, each with ideas, comments, an event and
a decision; a hidden idea and comment; an initiative in draft; an organisation; a practice
example and a support offer, each also as a draft."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    person_with_role,
)
from koproduktion.decisions.models import Body, Decision, Outcome
from koproduktion.events.tests.factories import EventFactory
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.initiatives.tests.factories import initiative
from koproduktion.practice.tests.factories import example
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory, staff_of
from koproduktion.support.models import OfferState
from koproduktion.support.tests.factories import offer


@dataclass
class World:
    town: Municipality
    public: Project
    draft: Project
    records: dict[str, Any]
    people: dict[str, Any]


def decision(project: Project, **fields: Any) -> Decision:
    values = {
        "municipality": project.municipality,
        "project": project,
        "title": "Beschluss",
        "body": Body.COUNCIL,
        "decided_on": datetime.date(2026, 5, 4),
        "outcome": Outcome.ADOPTED,
        "reasons": "Weil es gut ist.",
        **fields,
    }
    return Decision.objects.create(**values)


def world() -> World:
    """Every record carries the word "Radweg" (in its title where it has one), so that who
    finds what shows who may see what."""
    town = MunicipalityFactory(slug="musterstadt", name="Musterstadt")
    public = ProjectFactory(municipality=town, title="Radweg am Fluss", slug="fluss")
    draft = ProjectFactory(
        municipality=town, title="Radweg im Entwurf", slug="entwurf", is_published=False
    )
    records: dict[str, Any] = {"project": public, "draft project": draft}
    for label, project in (("", public), ("draft ", draft)):
        idea = IdeaFactory(project=project, title=f"Radweg {label}Idee", text="Breit genug.")
        records[f"{label}idea"] = idea
        records[f"{label}comment"] = CommentFactory(idea=idea, text=f"Radweg {label}Kommentar")
        records[f"{label}event"] = EventFactory(project=project, title=f"Radweg {label}Werkstatt")
        records[f"{label}decision"] = decision(project, title=f"Radweg {label}Beschluss")
    hidden = IdeaFactory(project=public, title="Radweg versteckt", hidden_at=timezone.now())
    records["hidden idea"] = hidden
    records["comment of hidden idea"] = CommentFactory(idea=hidden, text="Radweg darunter")
    records["hidden comment"] = CommentFactory(
        idea=records["idea"], text="Radweg ausgeblendet", hidden_at=timezone.now()
    )
    records["unpublished event"] = EventFactory(
        project=public, title="Radweg unveröffentlicht", is_published=False
    )
    starter = person_with_role(town, Role.RESIDENT)
    records["initiative"] = initiative(
        town, title="Radweg-Initiative", actor=person_with_role(town, Role.RESIDENT)
    )
    records["draft initiative"] = initiative(
        town, title="Radweg-Initiative im Entwurf", publish=False, actor=starter
    )
    records["organisation"] = OrganisationFactory(
        municipality=town, name="Radweg-Verein", description="Wir fahren Rad."
    )
    records["unconfirmed organisation"] = OrganisationFactory(
        municipality=town, name="Radweg-Freunde", verified_at=None
    )
    records["practice example"] = example(town, title="Radweg-Schulweg als Praxisbeispiel")
    records["draft practice example"] = example(
        town, title="Radweg-Praxisbeispiel im Entwurf", is_published=False
    )
    records["support offer"] = offer(town, title="Radweg-Förderung")
    records["draft support offer"] = offer(
        town, title="Radweg-Förderung im Entwurf", state=OfferState.DRAFT
    )
    people = {
        "visitor": None,
        "resident": person_with_role(town, Role.RESIDENT),
        "initiator": starter,
        "staff of the draft": staff_of(draft),
        "staff elsewhere": person_with_role(town, Role.STAFF),
        "coordination": person_with_role(town, Role.COORDINATION),
        "admin of another town": person_with_role(MunicipalityFactory(), Role.ADMIN),
    }
    return World(town, public, draft, records, people)

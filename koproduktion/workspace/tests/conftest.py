"""A town with two departments and a person for every role the workspace distinguishes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from koproduktion.core.models import Department, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.projects.capabilities import PhaseKind


@dataclass
class Town:
    municipality: Municipality
    lead: Department
    other: Department
    people: dict[str, Any]


# Who the permission matrix asks, and what they may do in the workspace.
ROLES = (
    "anonymous",
    "resident",
    "lead_staff",
    "other_staff",
    "coordination",
    "moderator",
    "council",
    "admin",
    "other_town_admin",
    "platform_admin",
)
MANAGERS = {"lead_staff", "coordination", "admin", "platform_admin"}


@pytest.fixture
def town(db) -> Town:
    municipality = MunicipalityFactory(name="Musterstadt", slug="musterstadt")
    NeighbourhoodFactory(municipality=municipality, name="Altstadt", slug="altstadt")
    TopicFactory(municipality=municipality, name="Mobilität", slug="mobilitaet")
    lead = DepartmentFactory(municipality=municipality, name="Tiefbauamt")
    other = DepartmentFactory(municipality=municipality, name="Sozialamt")
    elsewhere = MunicipalityFactory(name="Nachbarort", slug="nachbarort")
    people = {
        "anonymous": None,
        "resident": person_with_role(municipality, Role.RESIDENT),
        "lead_staff": person_with_role(municipality, Role.STAFF, departments=[lead]),
        "other_staff": person_with_role(municipality, Role.STAFF, departments=[other]),
        "coordination": person_with_role(municipality, Role.COORDINATION),
        "moderator": person_with_role(municipality, Role.MODERATOR),
        "council": person_with_role(municipality, Role.COUNCIL),
        "admin": person_with_role(municipality, Role.ADMIN),
        "other_town_admin": person_with_role(elsewhere, Role.ADMIN),
        "platform_admin": person_with_role(municipality, None, is_superuser=True),
    }
    return Town(municipality=municipality, lead=lead, other=other, people=people)


def client_of(person: Any) -> Client:
    client = Client(raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    return client


def plan_data(start: datetime.date, *, kinds=tuple(PhaseKind)) -> dict[str, str]:
    """The timeline form filled with phases of a month each, one after the other."""
    data: dict[str, str] = {}
    for number, kind in enumerate(kinds):
        begins = start + datetime.timedelta(days=31 * number)
        data[f"{kind.value}_starts_on"] = begins.isoformat()
        data[f"{kind.value}_ends_on"] = (begins + datetime.timedelta(days=30)).isoformat()
        data[f"{kind.value}_description"] = f"{kind.label} im Vorhaben"
    return data

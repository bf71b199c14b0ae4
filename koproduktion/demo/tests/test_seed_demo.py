from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from koproduktion.accounts.models import User
from koproduktion.core.models import Membership, Municipality, Neighbourhood
from koproduktion.core.roles import Role
from koproduktion.demo.data import DEMO_PASSWORD
from koproduktion.initiatives.models import Initiative, State
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Phase, Project

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Municipality, Neighbourhood, Project, Phase, User, Membership)
    )


def test_demo_town_is_complete_and_seeding_twice_adds_nothing(client):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first

    town = Municipality.objects.get(slug="musterstadt")
    assert Neighbourhood.objects.filter(municipality=town).count() == 3
    projects = Project.objects.filter(municipality=town)
    # One of them (a draft) came from the demo's accepted initiative.
    assert 5 <= projects.count() <= 9
    assert set(Initiative.objects.filter(municipality=town).values_list("state", flat=True)) == set(
        State
    )
    assert {p.phase for p in projects} == set(PhaseKind)
    assert {p.topic.slug for p in projects} == {"mobilitaet", "wohnen", "oeffentlicher-raum"}
    assert set(Membership.objects.filter(municipality=town).values_list("role", flat=True)) == set(
        Role
    )
    assert User.objects.filter(is_superuser=True).exists()

    # The README's log-ins work.
    for email in ("buergerin@musterstadt.example", "admin@musterstadt.example"):
        assert client.login(username=email, password=DEMO_PASSWORD)

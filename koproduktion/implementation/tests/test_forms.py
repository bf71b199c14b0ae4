"""The milestone form's resident group: public names in, people out, every problem named."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    person_with_role,
)
from koproduktion.implementation.forms import MilestoneForm, pick_person
from koproduktion.implementation.tests.factories import MilestoneFactory, resident_of
from koproduktion.moderation.services import user_block
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _form(project, members: str, group: str = "Nachbarschaftsgruppe Nord", **more):
    data = {
        "title": "Eröffnungsfest",
        "target_date": f"{timezone.localdate() + datetime.timedelta(days=30):%Y-%m-%d}",
        "status": "planned",
        "percent_complete": "0",
        "weight": "1",
        "responsible_group": group,
        "group_members": members,
        **more,
    }
    return MilestoneForm(data, project=project)


@pytest.fixture
def project():
    return ProjectFactory(phase=PhaseKind.IMPLEMENTATION)


def test_names_become_people_ignoring_case_blank_lines_and_repeats(project):
    anna = resident_of(project, public_name="Anna Nord")
    bert = person_with_role(project.municipality, Role.ORGANISATION, public_name="Bert")
    form = _form(project, "  anna nord \r\n\r\nBert\nAnna Nord\n")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["group_members"] == [anna, bert]


def test_an_empty_field_means_no_members(project):
    form = _form(project, " \n ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["group_members"] == []


def test_unknown_names_are_named_in_one_error_and_the_input_stays(project):
    resident_of(project, public_name="Anna Nord")
    person_with_role(MunicipalityFactory(), Role.RESIDENT, public_name="Zora")  # another town
    typed = "Anna Nord\nNiemand Bekanntes\nZora"
    form = _form(project, typed)
    assert not form.is_valid()
    assert form.errors["group_members"] == [
        f"Unter diesen Namen ist in {project.municipality.name} niemand angemeldet: "
        "„Niemand Bekanntes“, „Zora“."
    ]
    assert form["group_members"].value() == typed


def test_people_without_a_role_in_the_town_are_unknown(project):
    person_with_role(project.municipality, None, public_name="Ohne Rolle")
    form = _form(project, "Ohne Rolle")
    assert not form.is_valid()
    assert "„Ohne Rolle“" in form.errors["group_members"][0]


def test_a_person_with_two_roles_is_one_person_not_an_ambiguous_name(project):
    anna = resident_of(project, public_name="Anna Nord")
    MembershipFactory(user=anna, municipality=project.municipality, role=Role.COUNCIL)
    form = _form(project, "Anna Nord")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["group_members"] == [anna]


def test_blocked_people_are_named(project):
    blocked = resident_of(project, public_name="Gesperrt")
    user_block(
        moderator=person_with_role(project.municipality, Role.MODERATOR),
        municipality=project.municipality,
        user=blocked,
        reason="Beleidigungen",
    )
    form = _form(project, "Gesperrt")
    assert not form.is_valid()
    assert form.errors["group_members"] == [
        f"Diese Personen sind in {project.municipality.name} gesperrt: „Gesperrt“."
    ]


def test_ambiguous_names_need_the_exact_spelling():
    # The database keeps pseudonyms unique ignoring case (a unique index on the lower-cased name),
    # so on SQLite no line can find two people; PostgreSQL's case rules can (its UPPER makes
    # "ıda" and "ida" equal while LOWER keeps them apart). Then only the exact spelling decides.
    upper, lower = User(public_name="ANNA"), User(public_name="anna")
    assert pick_person("anna", [upper, lower]) is lower
    assert pick_person("Anna", [upper, lower]) is None
    assert pick_person("Anna", [upper]) is upper
    assert pick_person("Anna", []) is None


def test_members_need_a_resident_group(project):
    resident_of(project, public_name="Anna Nord")
    form = _form(project, "Anna Nord", group="")
    assert not form.is_valid()
    assert form.errors["group_members"] == [
        "Mitglieder gibt es nur bei einer verantwortlichen Gruppe."
    ]
    assert form["group_members"].value() == "Anna Nord"


def test_editing_shows_the_current_members_one_per_line(project):
    milestone = MilestoneFactory(project=project, responsible_group="Gruppe")
    milestone.group_members.add(
        resident_of(project, public_name="bert"), resident_of(project, public_name="Anna")
    )
    form = MilestoneForm(instance=milestone, project=project)
    assert form["group_members"].value() == "Anna\nbert"
    assert MilestoneForm(project=project)["group_members"].value() == ""

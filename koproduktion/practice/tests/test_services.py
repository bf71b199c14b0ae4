"""Writing, changing and taking examples offline; tags; the one-step draft from a project."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.practice import services
from koproduktion.practice.models import PracticeExample, Tag
from koproduktion.practice.selectors import practice_example_draft
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import coordination_of, example

pytestmark = pytest.mark.django_db


def test_markdown_is_stored_sanitised_and_stems_follow_the_text():
    made = example(
        problem="Zu **wenig** Bänke. [Mehr](javascript:alert(1))",
        approach="- Bänke aufgestellt\n- Bäume gepflanzt",
    )
    assert "<strong>wenig</strong>" in made.problem_html
    assert "javascript" not in made.problem_html
    assert "<li>Bänke aufgestellt</li>" in made.approach_html
    assert "bank" in made.stems.split()


def test_html_in_a_text_is_refused_at_its_field():
    with pytest.raises(ValidationError) as refused:
        example(problem="<script>alert(1)</script>")
    assert "problem" in refused.value.error_dict


def test_tags_are_the_platforms_one_per_spelling():
    first = example(tags=["Spielplatz, Mobilität"])
    second = example(tags=["spielplatz", "  Mobilität "])
    assert sorted(first.tags.values_list("slug", flat=True)) == ["mobilitaet", "spielplatz"]
    assert set(second.tags.all()) == set(first.tags.all())
    assert Tag.objects.count() == 2
    assert first.municipality_id != second.municipality_id


def test_too_many_tags_are_refused_at_the_field():
    with pytest.raises(ValidationError) as refused:
        example(tags=[",".join(f"Wort {n}" for n in range(9))])
    assert "tags" in refused.value.error_dict
    assert not PracticeExample.objects.exists()


def test_a_project_of_another_town_is_refused():
    with pytest.raises(ValidationError) as refused:
        example(project=ProjectFactory())
    assert "project" in refused.value.error_dict


def test_unknown_fields_are_a_programming_error():
    with pytest.raises(TypeError):
        example(colour="grün")


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.STAFF, Role.MODERATOR, Role.COUNCIL])
def test_only_coordination_and_admins_write(role):
    town = MunicipalityFactory()
    with pytest.raises(PermissionDenied):
        services.practice_example_create(
            actor=person_with_role(town, role),
            municipality=town,
            title="Nein",
            problem="P",
            approach="A",
            year=2025,
        )


def test_coordination_of_another_town_cannot_change_an_example():
    made = example()
    other = coordination_of(MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        services.practice_example_update(actor=other, example=made, title="Fremd")
    with pytest.raises(PermissionDenied):
        services.practice_example_unpublish(actor=other, example=made)


def test_update_changes_texts_and_keeps_tags_unless_given():
    made = example(tags=["Spielplatz"])
    actor = coordination_of(made.municipality)
    changed = services.practice_example_update(
        actor=actor, example=made, approach="Mit **allen** gebaut."
    )
    assert "<strong>allen</strong>" in changed.approach_html
    assert list(changed.tags.values_list("slug", flat=True)) == ["spielplatz"]
    changed = services.practice_example_update(actor=actor, example=made, tags=["Garten"])
    assert list(changed.tags.values_list("slug", flat=True)) == ["garten"]


def test_every_write_stands_in_the_administrations_log():
    made = example(title="Erst")
    actor = coordination_of(made.municipality)
    services.practice_example_update(actor=actor, example=made, title="Dann")
    services.practice_example_unpublish(actor=actor, example=made)
    made.refresh_from_db()
    assert not made.is_published
    actions = list(
        AuditEntry.objects.filter(municipality=made.municipality)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "practice.practice_example_create",
        "practice.practice_example_update",
        "practice.practice_example_unpublish",
    ]


def test_a_finished_project_becomes_an_example_in_one_step():
    town = MunicipalityFactory()
    project = ProjectFactory(
        municipality=town,
        title="Dorfplatz neu",
        summary="Der Platz vor der Kirche bekommt Bäume.",
        topic=TopicFactory(municipality=town, name="Öffentlicher Raum", slug="oeffentlicher-raum"),
        neighbourhood=NeighbourhoodFactory(municipality=town, name="Oberdorf"),
    )
    report = {"approach": "Pflanzaktion mit der Nachbarschaft.", "worked": "Viele kamen."}
    fields = {**practice_example_draft(project=project), **report}
    made = services.practice_example_create(
        actor=coordination_of(town), municipality=town, project=project, **fields
    )
    assert made.project == project
    assert made.title == "Dorfplatz neu"
    assert made.place == "Oberdorf"
    assert made.setting == "village"
    assert list(made.tags.values_list("slug", flat=True)) == ["oeffentlicher-raum"]
    assert not made.is_published  # a draft until the coordination publishes it

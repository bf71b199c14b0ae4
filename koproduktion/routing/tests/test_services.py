"""Routing: every idea and question reaches a department; answers are noted; staff reroute."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.dialogue.models import Stance
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.tests.factories import resident_of
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing.models import Assignment, AssignmentKind
from koproduktion.routing.services import assignment_reassign

from .factories import answered, asked, assignment_of, posted_idea, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    municipality = MunicipalityFactory()
    lead = DepartmentFactory(municipality=municipality, name="Stadtplanung")
    traffic = DepartmentFactory(municipality=municipality, name="Verkehr")
    green = DepartmentFactory(municipality=municipality, name="Grün")
    mobility = TopicFactory(municipality=municipality, department=traffic)
    trees = TopicFactory(municipality=municipality, department=green)
    project = ProjectFactory(municipality=municipality, department=lead)
    project.involved_departments.add(traffic)
    return municipality, project, lead, traffic, green, mobility, trees


def test_an_idea_goes_to_the_project_lead_department(town):
    _m, project, lead, *_ = town
    assert assignment_of(posted_idea(project)).department == lead


def test_an_idea_on_a_topic_of_an_involved_department_goes_there(town):
    _m, project, _lead, traffic, _green, mobility, _trees = town
    idea = posted_idea(project, topic=mobility)
    assignment = assignment_of(idea)
    assert assignment.department == traffic
    assert assignment.kind == AssignmentKind.IDEA
    assert assignment.received_at == idea.created_at
    assert assignment.answered_at is None


def test_a_topic_of_a_department_outside_the_project_stays_with_the_lead(town):
    _m, project, lead, _traffic, _green, _mobility, trees = town
    assert assignment_of(posted_idea(project, topic=trees)).department == lead


def test_without_a_project_department_the_topic_decides(town):
    municipality, _p, _lead, _traffic, green, _mobility, trees = town
    project = ProjectFactory(municipality=municipality, department=None, topic=trees)
    assert assignment_of(posted_idea(project)).department == green


def test_without_any_department_the_idea_waits_for_the_coordination(town):
    municipality = town[0]
    project = ProjectFactory(municipality=municipality, department=None)
    assert assignment_of(posted_idea(project)).department is None


def test_a_question_goes_where_its_idea_went_and_a_remark_goes_nowhere(town):
    _m, project, _lead, traffic, *_ = town
    idea = posted_idea(project)
    assignment_reassign(
        actor=person_with_role(project.municipality, Role.ADMIN),
        assignment=assignment_of(idea),
        department=traffic,
        reason="Es geht um den Radverkehr.",
    )
    question = asked(idea)
    routed = assignment_of(idea, question)
    assert (routed.kind, routed.department) == (AssignmentKind.QUESTION, traffic)
    comment_create(actor=resident_of(project), idea=idea, text="Gute Idee!", stance=Stance.PRO)
    assert Assignment.objects.filter(idea=idea).count() == 2


def test_the_first_official_answer_is_noted_and_later_ones_change_nothing(town):
    _m, project, lead, *_ = town
    idea = posted_idea(project)
    staff = staff_in(lead)
    first = answered(idea, staff)
    answered(idea, staff, text="Nachtrag: im Juni.")
    assignment = assignment_of(idea)
    assert assignment.answer == first
    assert assignment.answered_at == first.created_at
    assert assignment.response_seconds == int(
        (first.created_at - assignment.received_at).total_seconds()
    )


def test_an_official_reply_to_a_question_answers_the_question_not_the_idea(town):
    _m, project, lead, *_ = town
    idea = posted_idea(project)
    question = asked(idea)
    answered(idea, staff_in(lead), parent=question)
    assert assignment_of(idea, question).answered_at is not None
    assert assignment_of(idea).answered_at is None


def test_a_residents_reply_is_no_answer(town):
    _m, project, *_ = town
    idea = posted_idea(project)
    comment_create(actor=resident_of(project), idea=idea, text="Finde ich auch.")
    assert assignment_of(idea).answered_at is None


def test_staff_of_the_department_hand_a_contribution_on_with_a_reason_in_the_log(town):
    _m, project, lead, traffic, *_ = town
    staff = staff_in(lead)
    assignment = assignment_of(posted_idea(project))
    assignment_reassign(
        actor=staff, assignment=assignment, department=traffic, reason="Ampel: Verkehr."
    )
    assignment.refresh_from_db()
    assert (assignment.department, assignment.reason) == (traffic, "Ampel: Verkehr.")
    entry = AuditEntry.objects.get(action="routing.assignment_reassign")
    assert entry.before == {"department": "Stadtplanung", "reason": ""}
    assert entry.after == {"department": "Verkehr", "reason": "Ampel: Verkehr."}
    assert entry.reason == "Ampel: Verkehr."


@pytest.mark.parametrize(
    ("reason", "to_same", "field"),
    [("", False, "reason"), ("   ", False, "reason"), ("Passt.", True, "department")],
)
def test_a_reassignment_needs_a_reason_and_another_department(town, reason, to_same, field):
    _m, project, lead, traffic, *_ = town
    assignment = assignment_of(posted_idea(project))
    with pytest.raises(ValidationError) as refused:
        assignment_reassign(
            actor=staff_in(lead),
            assignment=assignment,
            department=lead if to_same else traffic,
            reason=reason,
        )
    assert field in refused.value.error_dict
    assignment.refresh_from_db()
    assert assignment.department == lead
    assert not AuditEntry.objects.filter(action="routing.assignment_reassign").exists()


def test_no_department_of_another_town_and_no_staff_of_another_department(town):
    _m, project, lead, traffic, *_ = town
    assignment = assignment_of(posted_idea(project))
    elsewhere = DepartmentFactory()
    with pytest.raises(ValidationError):
        assignment_reassign(
            actor=staff_in(lead), assignment=assignment, department=elsewhere, reason="Weg."
        )
    with pytest.raises(PermissionDenied):
        assignment_reassign(
            actor=staff_in(traffic), assignment=assignment, department=traffic, reason="Meins."
        )
    assignment.refresh_from_db()
    assert assignment.department == lead


def test_no_answer_is_owed_to_what_was_withdrawn_or_hidden_until_it_is_restored(town):
    from koproduktion.ideas.services import idea_withdraw  # noqa: PLC0415
    from koproduktion.moderation.services import (  # noqa: PLC0415
        contribution_hide,
        contribution_restore,
    )
    from koproduktion.routing.selectors import awaiting_answer  # noqa: PLC0415

    _m, project, *_ = town
    moderator = person_with_role(project.municipality, Role.MODERATOR)
    idea, withdrawn = posted_idea(project), posted_idea(project)
    question = asked(idea)

    def still_owed() -> set[tuple[int, int | None]]:
        return set(
            Assignment.objects.filter(awaiting_answer()).values_list("idea_id", "comment_id")
        )

    idea_withdraw(actor=withdrawn.author, idea=withdrawn)
    assert still_owed() == {(idea.pk, None), (idea.pk, question.pk)}
    contribution_hide(moderator=moderator, reason="Beleidigend.", comment=question)
    assert still_owed() == {(idea.pk, None)}
    contribution_hide(moderator=moderator, reason="Werbung.", idea=idea)
    assert still_owed() == set()
    contribution_restore(moderator=moderator, reason="Doch keine Werbung.", idea=idea)
    assert still_owed() == {(idea.pk, None)}  # the question stays hidden
    contribution_restore(moderator=moderator, reason="Doch in Ordnung.", comment=question)
    assert still_owed() == {(idea.pk, None), (idea.pk, question.pk)}

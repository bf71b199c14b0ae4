"""Writes of the routing: every contribution to a department, answers noted, routing by hand.

``assignment_route_idea`` and ``assignment_route_comment`` are called by the services that
create the contribution (``ideas.idea_create``, ``dialogue.comment_create``), in their
transaction; staff change the department with ``assignment_reassign``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import Department
from koproduktion.core.permissions import require
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.ideas.models import Idea
from koproduktion.projects.services import project_content_changed

from .models import Assignment, AssignmentKind
from .selectors import responsible_department_id


@transaction.atomic
def assignment_route_idea(*, idea: Idea) -> Assignment:
    """Route a new idea to its department (``responsible_department_id``)."""
    return Assignment.objects.create(
        municipality_id=idea.municipality_id,
        project_id=idea.project_id,
        idea=idea,
        kind=AssignmentKind.IDEA,
        department_id=responsible_department_id(idea=idea),
        received_at=idea.created_at,
    )


@transaction.atomic
def assignment_route_comment(*, comment: Comment) -> Assignment | None:
    """A new comment: an official one answers what it replies to; a question gets routed.

    An official reply to a routed question answers that question; any other official comment
    answers the idea. The first answer counts, later ones change nothing. A question goes to
    the department that answers its idea.
    """
    if comment.is_official:
        _note_answer(comment)
        return None
    if comment.stance != Stance.QUESTION:
        return None
    department_id = (
        Assignment.objects.filter(idea_id=comment.idea_id, comment__isnull=True)
        .values_list("department_id", flat=True)
        .first()
    )
    if department_id is None:
        department_id = responsible_department_id(idea=comment.idea)
    return Assignment.objects.create(
        municipality_id=comment.municipality_id,
        project_id=comment.project_id,
        idea_id=comment.idea_id,
        comment=comment,
        kind=AssignmentKind.QUESTION,
        department_id=department_id,
        received_at=comment.created_at,
    )


def _note_answer(answer: Comment) -> None:
    question = Assignment.objects.filter(comment_id=answer.parent_id) if answer.parent_id else None
    if question is None or not question.exists():
        question = Assignment.objects.filter(idea_id=answer.idea_id, comment__isnull=True)
    open_one = question.filter(answered_at__isnull=True).select_for_update().first()
    if open_one is None:
        return
    seconds = max(0, int((answer.created_at - open_one.received_at).total_seconds()))
    Assignment.objects.filter(pk=open_one.pk, answered_at__isnull=True).update(
        answered_at=answer.created_at, answer=answer, response_seconds=seconds
    )


@transaction.atomic
def assignments_refresh(*, idea_id: int) -> None:
    """Note whether an answer is still owed to the idea and its questions, after the idea was
    withdrawn, hidden, merged into another (which carries the answer owed) or restored, or one
    of its questions hidden or restored."""
    idea = (
        Idea.objects.filter(pk=idea_id).values("withdrawn_at", "hidden_at", "merged_into").first()
    )
    if idea is None:
        return
    now = timezone.now()
    assignments = Assignment.objects.filter(idea_id=idea_id)
    if idea["withdrawn_at"] or idea["hidden_at"] or idea["merged_into"]:
        assignments.filter(closed_at__isnull=True).update(closed_at=now)
        return
    hidden_questions = assignments.filter(comment__hidden_at__isnull=False)
    hidden_questions.filter(closed_at__isnull=True).update(closed_at=now)
    assignments.exclude(pk__in=hidden_questions.values("pk")).filter(
        closed_at__isnull=False
    ).update(closed_at=None)


@transaction.atomic
@audited(
    gettext_lazy("Zuständigkeit geändert"), target="assignment", fields=["department", "reason"]
)
def assignment_reassign(
    *, actor: Any, assignment: Assignment, department: Department, reason: str
) -> Assignment:
    """Give ``assignment`` to another department of the town, saying why (in the log too)."""
    require(
        "routing.can_reassign",
        actor,
        assignment,
        _("Die Zuständigkeit ändern der zuständige Fachbereich, die Koordination und Admins."),
    )
    reason = reason.strip()
    errors = {}
    if department.municipality_id != assignment.municipality_id:
        errors["department"] = _("Dieser Fachbereich gehört zu einer anderen Kommune.")
    elif department.pk == assignment.department_id:
        errors["department"] = _("Dieser Fachbereich ist schon zuständig.")
    if not reason:
        errors["reason"] = _("Bitte sagen Sie, warum der Fachbereich wechselt.")
    if errors:
        raise ValidationError(errors)
    assignment.department = department
    assignment.reason = reason
    assignment.save(update_fields=["department", "reason"])
    # The inboxes are cached by the projects' versions (routing.versions).
    project_content_changed(project_id=assignment.project_id)
    return assignment

"""Contributions made through the services, so that they are routed as on the site."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MembershipFactory, UserFactory
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_create
from koproduktion.ideas.tests.factories import resident_of
from koproduktion.routing.models import Assignment

_numbers = itertools.count(1)


def staff_in(*departments, role: Role = Role.STAFF):
    """A confirmed person holding ``role`` in the departments' town, working in them."""
    user = UserFactory()
    membership = MembershipFactory(user=user, municipality=departments[0].municipality, role=role)
    membership.departments.add(*departments)
    return user


def posted_idea(project, *, author=None, **fields) -> Idea:
    number = next(_numbers)
    return idea_create(
        actor=author or resident_of(project),
        project=project,
        title=fields.pop("title", f"Eine Idee Nummer {number}"),
        text=fields.pop("text", "Damit der Ort besser wird, schlage ich das vor."),
        **fields,
    )


def asked(idea: Idea, *, author=None, text: str = "Wann geht es damit los?") -> Comment:
    return comment_create(
        actor=author or resident_of(idea.project), idea=idea, text=text, stance=Stance.QUESTION
    )


def answered(idea: Idea, staff, *, parent: Comment | None = None, text: str = "Im Mai.") -> Comment:
    return comment_create(actor=staff, idea=idea, text=text, parent=parent, official=True)


def assignment_of(idea: Idea, comment: Comment | None = None) -> Assignment:
    return Assignment.objects.get(idea=idea, comment=comment)


def received_days_ago(assignment: Assignment, days: float) -> Assignment:
    """Move the arrival of a contribution back in time (and its answer time with it)."""
    when = timezone.now() - datetime.timedelta(days=days)
    Assignment.objects.filter(pk=assignment.pk).update(received_at=when)
    assignment.refresh_from_db()
    return assignment


def arrived(
    project,
    *,
    days_ago: float,
    answered_after: float | None = None,
    department=None,
    **idea_fields,
) -> Assignment:
    """An idea that arrived ``days_ago``, answered ``answered_after`` days later (or not)."""
    assignment = assignment_of(posted_idea(project, **idea_fields))
    received = timezone.now() - datetime.timedelta(days=days_ago)
    changes: dict = {"received_at": received}
    if answered_after is not None:
        changes |= {
            "answered_at": received + datetime.timedelta(days=answered_after),
            "response_seconds": int(answered_after * 86_400),
        }
    if department is not None:
        changes["department"] = department
    Assignment.objects.filter(pk=assignment.pk).update(**changes)
    return assignment

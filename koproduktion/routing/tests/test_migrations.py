"""The migration that brought routing routes what was there before."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from koproduktion.core.tests.factories import DepartmentFactory, TopicFactory
from koproduktion.core.tests.migrating import migrate_to_latest
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing.models import Assignment, AssignmentKind


@pytest.mark.django_db(transaction=True)
def test_existing_ideas_questions_and_answers_are_routed():
    MigrationExecutor(connection).migrate([("routing", None)])  # before routing existed
    try:
        lead = DepartmentFactory()
        involved = DepartmentFactory(municipality=lead.municipality)
        topic = TopicFactory(municipality=lead.municipality, department=involved)
        project = ProjectFactory(municipality=lead.municipality, department=lead)
        project.involved_departments.add(involved)
        plain = IdeaFactory(project=project)
        on_topic = IdeaFactory(project=project, topic=topic)
        question = CommentFactory(idea=on_topic, stance=Stance.QUESTION)
        CommentFactory(idea=on_topic, stance=Stance.PRO)
        reply = CommentFactory(idea=on_topic, parent=question, depth=1, is_official=True)
        answer = CommentFactory(idea=plain, is_official=True)
        withdrawn = IdeaFactory(project=project, withdrawn_at=timezone.now())
        Comment.objects.filter(pk=answer.pk).update(
            created_at=plain.created_at + datetime.timedelta(days=3)
        )
    finally:
        migrate_to_latest()

    routed = {(a.idea_id, a.comment_id): a for a in Assignment.objects.filter(project=project)}
    assert set(routed) == {
        (plain.pk, None),
        (on_topic.pk, None),
        (on_topic.pk, question.pk),
        (withdrawn.pk, None),
    }
    assert routed[withdrawn.pk, None].closed_at is not None
    assert routed[plain.pk, None].closed_at is None
    assert routed[plain.pk, None].department == lead
    assert routed[on_topic.pk, None].department == involved
    as_question = routed[on_topic.pk, question.pk]
    assert (as_question.kind, as_question.department) == (AssignmentKind.QUESTION, involved)
    assert as_question.answer_id == reply.pk
    assert routed[on_topic.pk, None].answered_at is None
    assert routed[plain.pk, None].answer_id == answer.pk
    assert routed[plain.pk, None].response_seconds == 3 * 86_400
    assert routed[plain.pk, None].received_at <= timezone.now()

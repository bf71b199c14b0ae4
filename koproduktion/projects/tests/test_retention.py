"""`manage.py anonymise_participants`: personal details go a set time after a project ended."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.tests.factories import UserFactory
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea, Source
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory
from koproduktion.implementation.models import Commitment
from koproduktion.implementation.tests.factories import TaskFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _project_ending(days_ago: int):
    today = timezone.localdate()
    project = ProjectFactory(phase=PhaseKind.EVALUATION)
    PhaseFactory(
        project=project,
        kind=PhaseKind.EVALUATION,
        starts_on=today - datetime.timedelta(days=days_ago + 30),
        ends_on=today - datetime.timedelta(days=days_ago),
    )
    idea = IdeaFactory(
        project=project, author=None, source=Source.PAPER, contributor_name="Frau Ziegler"
    )
    CommentFactory(idea=idea, author=None, source=Source.PHONE, contributor_name="Herr Kaya")
    task = TaskFactory(project=project)
    Commitment.objects.create(
        municipality=project.municipality,
        project=project,
        task=task,
        user=UserFactory(),
        phone="0171 1234567",
        share_contact=True,
    )
    return project


def _run() -> str:
    out = StringIO()
    call_command("anonymise_participants", stdout=out)
    return out.getvalue()


def test_personal_details_go_after_the_retention_period_and_only_then(settings):
    settings.RETENTION_DAYS_AFTER_PROJECT_END = 365
    settings.RETENTION_DAYS_UNCONFIRMED_ACCOUNT = 30
    ended = _project_ending(days_ago=400)
    recent = _project_ending(days_ago=100)
    running = _project_ending(days_ago=400)
    running.phase = PhaseKind.IMPLEMENTATION  # back at work: not ended
    running.save()
    forgotten = UserFactory(
        email_confirmed_at=None, date_joined=timezone.now() - datetime.timedelta(days=31)
    )
    waiting = UserFactory(email_confirmed_at=None)

    output = _run()
    assert "idea_contributor_names: 1" in output
    assert "comment_contributor_names: 1" in output
    assert "commitment_contacts: 1" in output
    assert "unconfirmed_accounts: 1" in output

    assert Idea.objects.get(project=ended).byline == "anonym"
    assert Comment.objects.get(project=ended).contributor_name == ""
    commitment = Commitment.objects.get(project=ended)
    assert (commitment.phone, commitment.share_contact) == ("", False)
    for kept in (recent, running):
        assert Idea.objects.get(project=kept).contributor_name == "Frau Ziegler"
        assert Comment.objects.get(project=kept).contributor_name == "Herr Kaya"
        assert Commitment.objects.get(project=kept).phone == "0171 1234567"
    assert User.objects.get(pk=forgotten.pk).deleted_at is not None
    assert User.objects.get(pk=waiting.pk).deleted_at is None

    # A second run finds nothing left to do.
    again = _run()
    assert "idea_contributor_names: 0" in again
    assert "commitment_contacts: 0" in again
    assert "unconfirmed_accounts: 0" in again

"""The demo town the bad-input tests feed nonsense to: its real values and its people.

``seeded_demo`` seeds it once for a test module (about a second) inside a transaction that is
rolled back at the end; every test runs in a savepoint inside it, so what one case writes is gone
before the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from koproduktion.accounts.models import User
from koproduktion.accounts.services import api_token_create
from koproduktion.actors.models import RepresentationRequest
from koproduktion.core.models import (
    Department,
    Membership,
    Neighbourhood,
    Organisation,
    Topic,
)
from koproduktion.core.roles import Role
from koproduktion.decisions.models import Decision, Poll, PollOption
from koproduktion.dialogue.models import Comment
from koproduktion.evaluation.models import Question
from koproduktion.events.models import Event
from koproduktion.ideas.models import Idea
from koproduktion.implementation.models import Commitment, Milestone, Task
from koproduktion.initiatives.models import Initiator, Need, NeedOffer
from koproduktion.opinions.models import PolisImport, Statement
from koproduktion.practice.models import PracticeExample
from koproduktion.projects.models import Document
from koproduktion.sponsorships.models import Sponsorship, SponsorshipObject
from koproduktion.support.models import SupportLink

TOWN = "musterstadt"
INITIATIVE = "reparatur-cafe-in-der-nordstadt"
# A confirmed organisation of the demo town, with its public profile.
ORGANISATION = "buergerverein-altstadt-ev"
# Where the demo town keeps what each feature needs.
IDEAS_PROJECT = "fahrradstrasse-hafenallee"  # ideas, comments, the opinion map, a decision
POLL_PROJECT = "buergerhaushalt-2027"
TASKS_PROJECT = "quartierstreff-nordstadt"  # milestones, tasks in shifts, a commitment
EVALUATION_PROJECT = "spielplatz-lindenpark"  # an open survey, a published report
PEOPLE = ("resident", "admin")  # besides the anonymous visitor


@dataclass
class Demo:
    """Real values from the seeded demo town."""

    ids: dict[str, int]  # by what they are the id of: "idea", "poll", "commitment" …
    resident: User
    admin: User
    token: str  # the resident's API key


def seeded_demo(django_db_blocker) -> Iterator[Demo]:
    """Seed the demo town for a test module; yields its real values, rolls it all back after."""
    # The demo people's passwords with the fast hash, as the suite's other tests use.
    fast_hash = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_hash:
            call_command("seed_demo", stdout=StringIO())
        resident = User.objects.get(email="buergerin@musterstadt.example")
        token, plain = api_token_create(user=resident, name="Prüfskript")
        hafenallee = {"project__slug": IDEAS_PROJECT, "municipality__slug": TOWN}
        idea = Idea.objects.filter(**hafenallee).order_by("pk").first()
        task = Task.objects.filter(
            project__slug=TASKS_PROJECT, is_published=True, shifts__isnull=False
        ).first()
        ids = {
            "idea": idea.pk,
            "comment": Comment.objects.filter(idea=idea).order_by("pk").first().pk,
            "thread": Comment.objects.filter(idea=idea, depth=0).order_by("pk").first().pk,
            "statement": Statement.objects.filter(**hafenallee).order_by("pk").first().pk,
            "poll": Poll.objects.get(project__slug=POLL_PROJECT).pk,
            "option": PollOption.objects.filter(poll__project__slug=POLL_PROJECT).first().pk,
            "document": Document.objects.filter(**hafenallee).first().pk,
            "decision": Decision.objects.filter(municipality__slug=TOWN).first().pk,
            "task": task.pk,
            "milestone": Milestone.objects.filter(project__slug=TASKS_PROJECT).first().pk,
            "commitment": Commitment.objects.get(user=resident).pk,
            "object": SponsorshipObject.objects.filter(municipality__slug=TOWN).first().pk,
            "sponsorship": Sponsorship.objects.filter(object__municipality__slug=TOWN).first().pk,
            "token": token.pk,
            # The coming workshop with few places, of the project in its dialogue phase.
            "event": Event.objects.filter(municipality__slug=TOWN, capacity=12).get().pk,
            # The repair café asking for a partner department: a need with an open offer.
            "need": Need.objects.filter(initiative__slug=INITIATIVE).order_by("pk").first().pk,
            "offer": NeedOffer.objects.filter(need__initiative__slug=INITIATIVE).get().pk,
            "initiator": Initiator.objects.filter(initiative__slug=INITIATIVE).get().pk,
            "membership": Membership.objects.filter(municipality__slug=TOWN, role=Role.STAFF)
            .order_by("pk")
            .first()
            .pk,
            "import": _polis_import(idea.project).pk,
            "question": Question.objects.filter(survey__project__slug=EVALUATION_PROJECT)
            .order_by("pk")
            .first()
            .pk,
            # Local actors: the Bürgerverein's representative, the proposal waiting in the queue.
            "representative": Membership.objects.get(user__email="verein@musterstadt.example").pk,
            "request": RepresentationRequest.objects.get(municipality__slug=TOWN).pk,
            # A published example of the town's library.
            "example": PracticeExample.objects.filter(municipality__slug=TOWN, is_published=True)
            .order_by("pk")
            .first()
            .pk,
            # The support catalogue: the offer linked to the ideas project, and that link.
            "support_offer": SupportLink.objects.get(project__slug=IDEAS_PROJECT).offer_id,
            "support_link": SupportLink.objects.get(project__slug=IDEAS_PROJECT).pk,
            # The town's administration (townadmin): one record of each kind it keeps.
            **{
                kind: model.objects.filter(municipality__slug=TOWN).order_by("pk").first().pk
                for kind, model in (
                    ("neighbourhood", Neighbourhood),
                    ("department", Department),
                    ("topic", Topic),
                    ("organisation", Organisation),
                )
            },
        }
        admin = User.objects.get(email="admin@musterstadt.example")
        # The seed's foreign keys are checked now, once. Left deferred, PostgreSQL would check
        # them all again at the end of every test (Django's TestCase checks the constraints
        # before rolling back, and the rollback puts the checks back in the queue): half a
        # second a test, minutes a module.
        connection.check_constraints()
        yield Demo(ids=ids, resident=resident, admin=admin, token=plain)
        transaction.set_rollback(True)


def _polis_import(project) -> PolisImport:
    """A failed Polis import, so that its page has a real address."""
    return PolisImport.objects.create(
        municipality_id=project.municipality_id,
        project=project,
        status=PolisImport.Status.FAILED,
        error={"code": "missing_comments", "file": "", "detail": {}},
    )


def log_in(client: Client, demo: Demo, who: str) -> None:
    """``who``: "anonymous" stays as it is; "resident" or "admin" of the demo town log in."""
    if who != "anonymous":
        client.force_login(demo.resident if who == "resident" else demo.admin)

"""The people of the mixed load, and the rows they left: run with the app's DATABASE_URL.

    python bench/mixed/people.py create COUNT   # residents of Musterstadt, logged in; JSON out
    python bench/mixed/people.py count          # what they wrote, counted in the database; JSON

``create`` makes COUNT confirmed residents of the demo town (e-mail ``mixed<n>@bench.invalid``)
and a session for each, as a log-in would leave it, so the load needs no password hashing; it
prints their session keys with the ids the load needs: the dialogue project's ideas and
statements and the open budget poll's options. ``count`` counts the ideas, comments, supports,
statement votes and poll participations of these people, and the ballots of the poll (counted
and still waiting in the pool), for the lost-writes check.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

import django

django.setup()

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Membership, Municipality
from koproduktion.core.roles import Role
from koproduktion.decisions.models import Ballot, BallotPool, Participation, Poll, PollKind
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea, Support
from koproduktion.opinions.models import Statement, StatementVote

TOWN = "musterstadt"
DIALOGUE = "fahrradstrasse-hafenallee"
EMAIL = "mixed{}@bench.invalid"
DOMAIN = "@bench.invalid"


def create(count: int) -> dict:
    town = Municipality.objects.get(slug=TOWN)
    now = timezone.now()
    first = User.objects.filter(email__endswith=DOMAIN).count()
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=EMAIL.format(n),
                public_name=f"Last {n}",
                password="!",  # unusable: nobody logs in with it, the session is made here
                email_confirmed_at=now,
            )
            for n in range(first, first + count)
        )
        Membership.objects.bulk_create(
            Membership(user=user, municipality=town, role=Role.RESIDENT) for user in users
        )
    # What django.contrib.auth.login() stores, so that every app process accepts the session.
    store = SessionStore()
    expires = now + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = Session.objects.bulk_create(
        Session(
            session_key=store._get_new_session_key(),
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "koproduktion.accounts.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for user in users
    )
    poll = Poll.objects.get(municipality=town, kind=PollKind.BUDGET)
    return {
        "sessions": [session.session_key for session in sessions],
        "ideas": list(
            Idea.objects.filter(
                project__slug=DIALOGUE,
                project__municipality=town,
                withdrawn_at__isnull=True,
                hidden_at__isnull=True,
            ).values_list("pk", flat=True)
        ),
        "statements": list(
            Statement.objects.filter(
                project__slug=DIALOGUE,
                project__municipality=town,
                status=Statement.Status.ACCEPTED,
            ).values_list("pk", flat=True)
        ),
        "poll": {
            "project": poll.project.slug,
            "id": poll.pk,
            "options": list(poll.options.values_list("pk", flat=True)),
        },
    }


def count() -> dict:
    ours = {"author__email__endswith": DOMAIN}
    poll = Poll.objects.get(municipality__slug=TOWN, kind=PollKind.BUDGET)
    pool = BallotPool.objects.filter(poll=poll).values_list("pending", flat=True).first() or 0
    return {
        "idea": Idea.objects.filter(**ours).count(),
        "comment": Comment.objects.filter(**ours).count(),
        "support": Support.objects.filter(user__email__endswith=DOMAIN).count(),
        "statement_vote": StatementVote.objects.filter(
            participant__user__email__endswith=DOMAIN
        ).count(),
        "ballot": Participation.objects.filter(poll=poll, voter__email__endswith=DOMAIN).count(),
        # Every participation has its ballot: counted, or sealed in the pool until a batch is full.
        "ballots_stored": Ballot.objects.filter(poll=poll).count() + pool,
        "participations": Participation.objects.filter(poll=poll).count(),
    }


if __name__ == "__main__":
    command = sys.argv[1]
    result = create(int(sys.argv[2])) if command == "create" else count()
    print(json.dumps(result))

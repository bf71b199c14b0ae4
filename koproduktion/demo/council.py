"""The demo council and charter: a clerk who records the council's decisions, an agenda with an
idea over the quorum, a due budget decision and a closed poll, a council decision, and the
town's participation charter."""

from __future__ import annotations

import datetime

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.charter.models import CharterPromise, PromiseKind
from koproduktion.charter.services import charter_promise_set
from koproduktion.core.models import Municipality
from koproduktion.council.services import municipality_council_recording_set
from koproduktion.decisions.models import Body, Outcome, PollKind, ResultsVisibility
from koproduktion.decisions.services import decision_record, option_add, poll_create
from koproduktion.projects.models import Project

PROMISES = [
    (PromiseKind.ANSWER, 14, "Gezählt wird die erste offizielle Antwort eines Fachbereichs."),
    (PromiseKind.LISTED, 4, "So bleibt Zeit, sich zu informieren und mitzureden."),
    (PromiseKind.REASONS, None, ""),
    (PromiseKind.FEEDBACK, 14, "Alle, die eine Idee eingebracht haben, hören vom Ergebnis."),
]


def seed_council() -> None:
    town = Municipality.objects.get(slug="musterstadt")
    if CharterPromise.objects.filter(municipality=town).exists():
        return
    admin = User.objects.get(email="admin@musterstadt.example")
    for kind, number, note in PROMISES:
        charter_promise_set(actor=admin, municipality=town, kind=kind, number=number, note=note)
    municipality_council_recording_set(actor=admin, municipality=town, allowed=True)

    now = timezone.now()
    meeting_point = Project.objects.get(municipality=town, slug="quartierstreff-nordstadt")
    poll = poll_create(
        actor=admin,
        project=meeting_point,
        title="Wann soll der Quartierstreff öffnen?",
        kind=PollKind.APPROVAL,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=9),
        results_visibility=ResultsVisibility.LIVE,
        description="Kreuzen Sie alle Zeiten an, zu denen Sie kommen würden.",
    )
    for title in ("Werktags am Vormittag", "Werktags am Abend", "Am Wochenende"):
        option_add(actor=admin, poll=poll, title=title)
    decision_record(
        actor=User.objects.get(email="ratsbuero@musterstadt.example"),
        municipality=town,
        project=meeting_point,
        title="Betriebskonzept des Quartierstreffs",
        body=Body.COUNCIL,
        body_name="Rat der Stadt Musterstadt",
        decided_on=timezone.localdate() - datetime.timedelta(days=45),
        outcome=Outcome.MODIFIED,
        reasons="Der Rat folgt dem Konzept der Nachbarschaft; der Verein trägt den Betrieb, "
        "die Stadt die Miete für drei Jahre.",
    )

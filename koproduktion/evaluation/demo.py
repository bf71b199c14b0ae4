"""The demo evaluation: the playground of Musterstadt's Lindenpark, in its evaluation phase,
with a survey of three questions, about 30 answers and a published report. Written through the
services; safe to run again (a project that has a survey is left as it is)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant
from koproduktion.projects.models import Project

from . import services
from .models import QuestionKind, Survey
from .selectors import report_prefill

ANSWERS = 30
COMMENTS = (
    "Die Kinder lieben die Kletterspinne.",
    "Es fehlt Schatten am Sandkasten.",
    "Mehr Bänke für Eltern und Großeltern wären schön.",
    "Abends ist es zu dunkel auf dem Weg.",
)
REPORT = {
    "planned": (
        "Ein Spielplatz für Kinder von 2 bis 12 Jahren im Lindenpark, **gemeinsam mit Kindern "
        "geplant**: zwei Werkstätten in der Grundschule, ein Baustellenfest."
    ),
    "outcome": (
        "Der Spielplatz ist seit dem Sommer offen. Gebaut wurden Kletterspinne, Sandkasten mit "
        "Wasserpumpe und ein Weidentunnel. Die Seilbahn kam nicht: der Platz reichte nicht."
    ),
    "lessons": (
        "- Die Werkstätten mit Kindern haben sich gelohnt: ihre Ideen prägen den Platz.\n"
        "- Schatten haben wir unterschätzt; Bäume pflanzen wir im Herbst nach.\n"
        "- Die Ausschreibung dauerte zwei Monate länger als geplant."
    ),
    "cost_actual_cents": 34_150_000,
    "contact": "Grünflächen und Umwelt, gruen@musterstadt.example",
}


def seed_evaluation(
    *, municipality_slug: str = "musterstadt", project_slug: str = "spielplatz-lindenpark"
) -> None:
    municipality = Municipality.objects.filter(slug=municipality_slug).first()
    project = Project.objects.filter(municipality=municipality, slug=project_slug).first()
    if project is None or Survey.objects.filter(project=project).exists():
        return
    staff = User.objects.get(email=f"koordination@{municipality_slug}.example")
    rating = services.question_add(
        actor=staff,
        project=project,
        kind=QuestionKind.RATING,
        text="Wie zufrieden sind Sie mit dem neuen Spielplatz?",
        low_label="gar nicht zufrieden",
        high_label="sehr zufrieden",
    )
    again = services.question_add(
        actor=staff,
        project=project,
        kind=QuestionKind.YES_NO,
        text="Würden Sie bei einem nächsten Vorhaben wieder mitmachen?",
    )
    text = services.question_add(
        actor=staff, project=project, kind=QuestionKind.TEXT, text="Was fehlt noch?"
    )
    services.survey_open(actor=staff, project=project)
    rng = random.Random(2027)  # noqa: S311 - demo data, reproducible
    now = timezone.now()
    for number in range(1, ANSWERS + 1):
        email = f"lindenpark-{number}@{municipality_slug}.example"
        person = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, public_name=f"Lindenpark {number}", email_confirmed_at=now
        )
        membership_grant(user=person, municipality=municipality, role=Role.RESIDENT)
        values = {
            rating.pk: rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 8, 6))[0],
            again.pk: "ja" if rng.random() < 0.8 else "nein",
        }
        if number % 5 == 0:
            values[text.pk] = COMMENTS[(number // 5) % len(COMMENTS)]
        services.survey_answer(actor=person, project=project, values=values)
    prefill = vars(report_prefill(project=project))
    # Begun on time, finished two months late (the lessons say why).
    kept = {"kept_start": prefill["planned_start"]}
    if prefill["planned_end"]:
        kept["kept_end"] = prefill["planned_end"] + datetime.timedelta(days=61)
    report = services.report_save(actor=staff, project=project, **{**prefill, **kept, **REPORT})
    services.report_publish(actor=staff, report=report)

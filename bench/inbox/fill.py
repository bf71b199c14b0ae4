"""Fill the demo town with a busy administration's year, fast: projects, ideas, answers.

Run with the benchmark's DATABASE_URL in the environment:
    python bench/inbox/fill.py PROJECTS IDEAS ANSWERS
Benchmark data only: it writes with bulk_create for speed, and writes the routing
(``routing.Assignment``) as the services would have: each idea to its project's department,
received over the last eighteen months, the answered ones with their first official answer.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

import django

django.setup()

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Department, Municipality, Neighbourhood
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.routing.models import Assignment, AssignmentKind

BATCH = 5_000
DAY = 86_400


def fill(n_projects: int, n_ideas: int, n_answers: int) -> None:
    rng = random.Random(20261203)
    town = Municipality.objects.get(slug="musterstadt")
    departments = list(Department.objects.filter(municipality=town).values_list("pk", flat=True))
    neighbourhoods = list(
        Neighbourhood.objects.filter(municipality=town).values_list("pk", flat=True)
    )
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    authors = list(
        User.objects.filter(memberships__municipality=town, memberships__role="resident")
    )
    now = timezone.now()
    with transaction.atomic():
        projects = Project.objects.bulk_create(
            [
                Project(
                    municipality=town,
                    title=f"Vorhaben {n}: ein Platz im Quartier",
                    slug=f"bench-vorhaben-{n}",
                    summary="Ein Vorhaben des Benchmarks.",
                    phase=PhaseKind.DIALOGUE,
                    is_published=True,
                    department_id=departments[n % len(departments)],
                )
                for n in range(n_projects)
            ],
            batch_size=BATCH,
        )
        ideas = Idea.objects.bulk_create(
            [
                Idea(
                    municipality=town,
                    project=projects[n % n_projects],
                    author=authors[n % len(authors)],
                    title=f"Idee {n}: Bänke und Bäume für den Platz",
                    text="Eine Idee mit etwas Text, damit die Zeile so aussieht wie im Leben.",
                    neighbourhood_id=neighbourhoods[n % len(neighbourhoods)],
                )
                for n in range(n_ideas)
            ],
            batch_size=BATCH,
        )
        received = [now - datetime.timedelta(seconds=rng.uniform(0, 540 * DAY)) for _ in ideas]
        answered = set(rng.sample(range(n_ideas), n_answers))
        answers = Comment.objects.bulk_create(
            [
                Comment(
                    municipality=town,
                    project_id=ideas[n].project_id,
                    idea=ideas[n],
                    author=staff,
                    text="Danke! Wir prüfen das und melden uns.",
                    is_official=True,
                    depth=0,
                )
                for n in sorted(answered)
            ],
            batch_size=BATCH,
        )
        Comment.objects.filter(thread__isnull=True).update(thread_id=F("id"))
        answer_of = dict(zip(sorted(answered), answers, strict=True))
        rows = []
        for n, idea in enumerate(ideas):
            project = projects[n % n_projects]
            row = Assignment(
                municipality=town,
                project=project,
                idea=idea,
                kind=AssignmentKind.IDEA,
                department_id=project.department_id,
                received_at=received[n],
            )
            if n in answer_of:
                delay = min(rng.expovariate(1 / (9 * DAY)), (now - received[n]).total_seconds())
                row.answered_at = received[n] + datetime.timedelta(seconds=delay)
                row.response_seconds = int(delay)
                row.answer = answer_of[n]
            rows.append(row)
        Assignment.objects.bulk_create(rows, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    n_projects, n_ideas, n_answers = (int(value) for value in sys.argv[1:4])
    started = time.monotonic()
    fill(n_projects, n_ideas, n_answers)
    print(
        f"filled {n_projects} projects, {n_ideas} ideas, {n_answers} answers "
        f"in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

"""Fill the demo town with what a big town's search reads, fast: ideas and comments.

Run with the benchmark's DATABASE_URL in the environment:
    python bench/search/fill.py IDEAS COMMENTS
Benchmark data only: bulk_create for speed. 100 projects of Musterstadt (published), the ideas
spread over them, the comments over the ideas (top-level, each its own thread, as
``comment_create`` leaves them), written from the vocabulary of bench/similar_ideas.py, so the
searched words occur as often as a town's everyday words do. On PostgreSQL the GIN indexes are
kept while writing, then VACUUM ANALYZE, as a database that grew over years would be.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

import django

django.setup()

from django.db import connection, transaction
from django.db.models import F
from similar_ideas import PLACES, REASONS, THINGS, WISHES

from koproduktion.accounts.models import User
from koproduktion.core.models import Department, Municipality
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.ideas.models import Idea
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project

BATCH = 5_000
PROJECTS = 100
REPLIES = [
    "Da stimme ich zu, {thing} fehlen {place} wirklich.",
    "Ich bin dagegen: {thing} {place} kosten zu viel.",
    "Gibt es schon Pläne für {thing} {place}?",
    "Wir haben {place} letzte Woche darüber gesprochen. {reason}",
    "{reason} Deshalb unterstütze ich das.",
]


def fill(n_ideas: int, n_comments: int) -> None:
    rng = random.Random(20261203)
    town = Municipality.objects.get(slug="musterstadt")
    departments = list(Department.objects.filter(municipality=town).values_list("pk", flat=True))
    authors = list(
        User.objects.filter(memberships__municipality=town, memberships__role="resident")
    )
    with transaction.atomic():
        projects = Project.objects.bulk_create(
            [
                Project(
                    municipality=town,
                    title=f"{rng.choice(THINGS)} {rng.choice(PLACES)} (Vorhaben {n})",
                    slug=f"bench-suche-{n}",
                    summary="Ein Vorhaben des Benchmarks.",
                    phase=PhaseKind.DIALOGUE,
                    is_published=True,
                    department_id=departments[n % len(departments)],
                )
                for n in range(PROJECTS)
            ]
        )
    idea_ids: list[tuple[int, int]] = []
    for start in range(0, n_ideas, BATCH):
        batch = [
            Idea(
                municipality=town,
                project=projects[n % PROJECTS],
                author=authors[n % len(authors)],
                title=f"{rng.choice(WISHES)} {rng.choice(THINGS)} {rng.choice(PLACES)}",
                text=" ".join(rng.sample(REASONS, 2)) + f" (Nr. {n})",
            )
            for n in range(start, min(start + BATCH, n_ideas))
        ]
        idea_ids += [(idea.pk, idea.project_id) for idea in Idea.objects.bulk_create(batch)]
    for start in range(0, n_comments, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, n_comments)):
            idea_id, project_id = idea_ids[rng.randrange(len(idea_ids))]
            text = rng.choice(REPLIES).format(
                thing=rng.choice(THINGS), place=rng.choice(PLACES), reason=rng.choice(REASONS)
            )
            batch.append(
                Comment(
                    municipality=town,
                    project_id=project_id,
                    idea_id=idea_id,
                    author=authors[n % len(authors)],
                    text=text,
                    text_html=f"<p>{text}</p>",
                    stance=rng.choice(list(Stance)),
                )
            )
        Comment.objects.bulk_create(batch)
        print(f"  {start + len(batch):,} comments", file=sys.stderr, flush=True)
    Comment.objects.filter(thread__isnull=True).update(thread_id=F("id"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    started = time.monotonic()
    fill(int(sys.argv[1]), int(sys.argv[2]))
    print(f"  filled in {time.monotonic() - started:.0f} s", file=sys.stderr)

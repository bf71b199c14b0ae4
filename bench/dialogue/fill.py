"""Fill the demo project "fahrradstrasse-hafenallee" with a big dialogue, fast.

Run with the benchmark's DATABASE_URL in the environment:
    python bench/dialogue/fill.py IDEAS COMMENTS SUPPORTS
Benchmark data only: it writes with bulk_create for speed and sets the counter columns to what
the services would have kept, so the pages show consistent figures.
"""

from __future__ import annotations

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
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.ideas.models import Idea, IdeaStatus, Support
from koproduktion.projects.models import Project

BATCH = 5_000
STANCES = [Stance.PRO, Stance.CONTRA, Stance.QUESTION, Stance.NEUTRAL]


def fill(n_ideas: int, n_comments: int, n_supports: int) -> None:
    rng = random.Random(20261125)
    project = Project.objects.get(slug="fahrradstrasse-hafenallee")
    town = project.municipality_id
    supporters_per_idea = max(1, n_supports // n_ideas)
    n_users = max(supporters_per_idea * 5, 200)
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{i}@example.org",
                    public_name=f"Bench {i}",
                    password="!",
                    email_confirmed_at=now,
                )
                for i in range(n_users)
            ],
            batch_size=BATCH,
        )
        comments_per_idea = n_comments // n_ideas
        ideas = Idea.objects.bulk_create(
            [
                Idea(
                    municipality_id=town,
                    project=project,
                    author=users[i % n_users],
                    title=f"Idee {i}: mehr Platz für Menschen an der Hafenallee",
                    text="Eine Idee mit etwas Text, **Markdown** und einem Absatz.\n\nNoch einer.",
                    status=rng.choice(list(IdeaStatus)),
                    latitude=52.10 + rng.random() * 0.06,
                    longitude=9.30 + rng.random() * 0.12,
                    address=f"Hafenallee {i % 200 + 1}",
                    support_count=supporters_per_idea,
                    comment_count=comments_per_idea,
                )
                for i in range(n_ideas)
            ],
            batch_size=BATCH,
        )
        supports = (
            Support(municipality_id=town, idea=idea, user=users[(n * 7 + k) % n_users])
            for n, idea in enumerate(ideas)
            for k in range(supporters_per_idea)
        )
        _bulk(Support, supports)
        # Top-level comments first (a thread each), then one reply for every second one.
        tops_per_idea = max(1, comments_per_idea * 2 // 3)
        tops = _bulk(
            Comment,
            (
                Comment(
                    municipality_id=town,
                    project=project,
                    idea=idea,
                    author=users[(n + k) % n_users],
                    stance=STANCES[k % 4],
                    text=f"Kommentar {k} zu Idee {n}: ein Argument mit ein paar Worten.",
                )
                for n, idea in enumerate(ideas)
                for k in range(tops_per_idea)
            ),
        )
        # bulk_create returns primary keys on PostgreSQL and SQLite; set each thread to itself.
        Comment.objects.filter(project=project, thread__isnull=True, depth=0).update(
            thread_id=django.db.models.F("pk")
        )
        replies_per_idea = comments_per_idea - tops_per_idea
        by_idea: dict[int, list[Comment]] = {}
        for top in tops:
            by_idea.setdefault(top.idea_id, []).append(top)
        _bulk(
            Comment,
            (
                Comment(
                    municipality_id=town,
                    project=project,
                    idea_id=idea_id,
                    parent=parent,
                    thread_id=parent.pk,
                    depth=1,
                    author=users[(r + 3) % n_users],
                    stance=Stance.QUESTION,
                    text=f"Antwort {r}: eine Nachfrage.",
                )
                for idea_id, idea_tops in by_idea.items()
                for r, parent in enumerate(idea_tops[:replies_per_idea])
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _bulk(model, rows):
    created, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            created += model.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        created += model.objects.bulk_create(chunk)
    return created


if __name__ == "__main__":
    started = time.monotonic()
    fill(*(int(arg) for arg in sys.argv[1:4]))
    print(f"filled in {time.monotonic() - started:.0f} s", file=sys.stderr)

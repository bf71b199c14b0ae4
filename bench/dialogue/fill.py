"""Fill the demo project "fahrradstrasse-hafenallee" with a big dialogue that looks like a real one.

Run with the benchmark's DATABASE_URL in the environment:
    python bench/dialogue/fill.py IDEAS COMMENTS SUPPORTS

What real discussions look like, and these data therefore do:

- comments per idea are heavy-tailed: most ideas have a few or none, some have hundreds, and one
  (among the newest, being discussed right now) has ``BUSIEST`` (2,000 at the default sizes);
- supports follow the same attention, up to one per person;
- thousands of authors (``AUTHORS``), a few of whom write much of the discussion;
- comment texts of real lengths (median about 250 characters, a long tail to the limit of 3,000),
  some with Markdown (emphasis, lists, links, paragraphs);
- texts stored rendered beside the source, replies numbered in their threads and counted on
  their tops, as ``comment_create`` keeps them;
- replies chosen by attention too (a reply goes to a comment picked at random, so busy threads
  grow busier), nested to depth 3 as the service nests them; timestamps in the order written.

Benchmark data only: it writes with bulk_create for speed (with its own primary keys and
timestamps) and sets what the services would have kept (counters, threads), so the pages show
consistent figures.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

import django

django.setup()

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.markdown import render_markdown
from koproduktion.dialogue.models import MAX_DEPTH, Comment, Stance
from koproduktion.ideas.models import Idea, IdeaStatus, Support
from koproduktion.projects.models import Project

BATCH = 5_000
AUTHORS = 5_000
BUSIEST_SHARE = 0.02  # the busiest idea's share of all comments: 2,000 of 100,000
BUSIEST_FROM_NEWEST = 2  # the third newest idea
CAP_SHARE = 0.006  # no other idea above this share of all comments (600 of 100,000)
TOP_LEVEL = 0.6  # the rest are replies
DAYS = 180
STANCES = [Stance.PRO, Stance.CONTRA, Stance.QUESTION, Stance.NEUTRAL]
STANCE_WEIGHTS = [3, 3, 2, 4]

SENTENCES = [
    "Ich fahre jeden Morgen mit dem Rad über die Hafenallee zur Arbeit.",
    "Die Autos fahren hier oft deutlich schneller als die erlaubten 30 km/h.",
    "Für Kinder auf dem Schulweg ist die Kreuzung an der Lindenstraße gefährlich.",
    "Wo sollen die Anwohnerinnen und Anwohner dann parken?",
    "Der Lieferverkehr für die Geschäfte muss weiter möglich sein.",
    "In Münster und Göttingen funktionieren Fahrradstraßen seit Jahren gut.",
    "Mehr Bäume würden im Sommer auch gegen die Hitze helfen.",
    "Die Busse der Linie 5 stehen morgens schon jetzt im Stau.",
    "Ich wünsche mir Bänke, auf denen auch ältere Menschen ausruhen können.",
    "Eine Verkehrszählung vor und nach dem Umbau wäre sinnvoll.",
    "Die Ampelschaltung am Hafenbecken ist für Fußgänger viel zu kurz.",
    "Wer bezahlt den Umbau, und was fällt dafür im Haushalt weg?",
    "Bitte denken Sie auch an Menschen im Rollstuhl und mit Kinderwagen.",
    "Nachts ist die Straße schlecht beleuchtet.",
    "Die Gastronomie am Kai würde von breiteren Gehwegen profitieren.",
    "Ich bin skeptisch, ob sich der Verkehr nicht einfach in die Nebenstraßen verlagert.",
    "Das Kopfsteinpflaster ist mit dem Rad kaum zu befahren.",
    "Vielleicht lässt sich das zuerst für ein halbes Jahr ausprobieren.",
    "Bei der Quartierswerkstatt im Hafenhaus wurde das schon ausführlich diskutiert.",
    "Die Stadtverwaltung sollte die Zahlen zu den Unfällen veröffentlichen.",
    "Lastenräder brauchen mehr Platz zum Abstellen als normale Fahrräder.",
    "Am Wochenende ist die Hafenallee voller Spaziergängerinnen und Spaziergänger.",
    "Die Einfahrt zur Tiefgarage muss erreichbar bleiben.",
    "Ein Zebrastreifen allein reicht meiner Meinung nach nicht aus.",
]
PHRASES = ["sehr wichtig", "nicht nachvollziehbar", "endlich", "zu teuer", "sofort", "gefährlich"]
LINKS = [
    "[Verkehrszählung 2025](https://www.musterstadt.example/verkehr/zaehlung-2025)",
    "[Ratsbeschluss zur Mobilität](https://www.musterstadt.example/rat/mobilitaet)",
    "[Leitfaden Fahrradstraßen](https://www.example.org/leitfaden-fahrradstrassen)",
]


def comment_text(rng: random.Random) -> str:
    """A comment as people write them: a few sentences, sometimes long, some with Markdown."""
    length = min(2_900, max(30, int(rng.lognormvariate(5.5, 0.8))))  # median e^5.5 ≈ 245
    paragraphs, current, size = [], [], 0
    while size < length:
        sentence = rng.choice(SENTENCES)
        current.append(sentence)
        size += len(sentence) + 1
        if len(current) >= 3 and rng.random() < 0.35:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    if rng.random() < 0.25:  # emphasis
        paragraphs[0] = f"**{rng.choice(PHRASES).capitalize()}:** {paragraphs[0]}"
    if rng.random() < 0.1:  # a list
        items = rng.sample(SENTENCES, 3)
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), "\n".join(f"- {i}" for i in items))
    if rng.random() < 0.08:  # a link
        paragraphs.append(f"Mehr dazu: {rng.choice(LINKS)}")
    if rng.random() < 0.05:  # a quote
        paragraphs.insert(0, f"> {rng.choice(SENTENCES)}")
    return "\n\n".join(paragraphs)


def heavy_tailed(rng: random.Random, n: int, total: int, cap: int) -> list[int]:
    """``n`` counts adding up to ``total``, most small, a few up to ``cap`` (Pareto-shaped)."""
    if n == 0:
        return []
    raw = [rng.paretovariate(1.1) for _ in range(n)]

    def scaled(factor: float) -> list[int]:
        return [min(cap, int(x * factor)) for x in raw]

    low, high = 0.0, float(total)
    for _ in range(60):  # the factor whose counts add up closest to total, from below
        middle = (low + high) / 2
        if sum(scaled(middle)) > total:
            high = middle
        else:
            low = middle
    counts = scaled(low)
    short = total - sum(counts)
    while short > 0:  # the rounding's rest, one by one to ideas below the cap
        i = rng.randrange(n)
        if counts[i] < cap:
            counts[i] += 1
            short -= 1
    return counts


def _disable_auto_now(*models: type[Model]) -> None:
    """Let bulk_create keep the timestamps given here (this process only writes benchmark data)."""
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now_add", False):
                field.auto_now_add = False


def fill(n_ideas: int, n_comments: int, n_supports: int) -> None:
    rng = random.Random(20261125)
    project = Project.objects.get(slug="fahrradstrasse-hafenallee")
    town = project.municipality_id
    n_users = max(AUTHORS, n_supports // max(n_ideas, 1) * 5)
    now = timezone.now()
    _disable_auto_now(Idea, Comment, Support)

    busiest = min(n_comments, int(n_comments * BUSIEST_SHARE))
    cap = max(1, int(n_comments * CAP_SHARE))
    comment_counts = heavy_tailed(rng, n_ideas - 1, n_comments - busiest, cap)
    busy_at = max(0, n_ideas - 1 - BUSIEST_FROM_NEWEST)
    comment_counts.insert(busy_at, busiest)
    # Supports follow attention; nobody supports an idea twice.
    weights = [(c + 1) ** 0.8 for c in comment_counts]
    scale = n_supports / sum(weights)
    support_counts = [min(n_users, int(w * scale)) for w in weights]
    support_counts[busy_at] += n_supports - sum(support_counts)
    support_counts[busy_at] = min(support_counts[busy_at], n_users)

    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{i}@example.org",
                    public_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                    password="!",
                    email_confirmed_at=now,
                )
                for i in range(n_users)
            ],
            batch_size=BATCH,
        )
        span = dt.timedelta(days=DAYS)
        ideas = Idea.objects.bulk_create(
            [
                Idea(
                    municipality_id=town,
                    project=project,
                    author=users[rng.randrange(n_users)],
                    title=f"Idee {i}: mehr Platz für Menschen an der Hafenallee",
                    text=comment_text(rng),
                    status=rng.choice(list(IdeaStatus)),
                    latitude=52.10 + rng.random() * 0.06,
                    longitude=9.30 + rng.random() * 0.12,
                    address=f"Hafenallee {i % 200 + 1}",
                    support_count=support_counts[i],
                    comment_count=comment_counts[i],
                    # Oldest first; the newest an hour ago.
                    created_at=now - dt.timedelta(hours=1) - span * (n_ideas - i) / n_ideas,
                )
                for i in range(n_ideas)
            ],
            batch_size=BATCH,
        )
        _bulk(
            Support,
            (
                Support(
                    municipality_id=town,
                    idea=idea,
                    user=users[(start + k) % n_users],
                    created_at=idea.created_at,
                )
                for idea, count in zip(ideas, support_counts, strict=True)
                for start in [rng.randrange(n_users)]
                for k in range(count)
            ),
        )
        _bulk(
            Comment,
            _comments(
                rng, project=project, ideas=ideas, counts=comment_counts, users=users, now=now
            ),
        )
        _reset_sequences(Comment)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


FIRST = ["Anna", "Ben", "Can", "Doris", "Emre", "Frieda", "Gül", "Hans", "Ida", "Jonas", "Katja"]
LAST = ["Schmidt", "Yılmaz", "Meyer", "Nowak", "Hoffmann", "Kaya", "Becker", "Wagner", "Krüger"]


def _author(rng: random.Random, users: list[User]) -> User:
    # A few people write much of a discussion: skewed towards the first accounts.
    return users[int(len(users) * rng.random() ** 3)]


def _comments(
    rng: random.Random,
    *,
    project: Project,
    ideas: list[Idea],
    counts: list[int],
    users: list[User],
    now: dt.datetime,
) -> Iterable[Comment]:
    """Each idea's comments in the order written, with their own primary keys (parents first)."""
    next_id = (Comment.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    threads: dict[int, Comment] = {}
    for idea, count in zip(ideas, counts, strict=True):
        if not count:
            continue
        # Written between the idea's creation and now, in this order.
        start, length = idea.created_at.timestamp(), now.timestamp() - idea.created_at.timestamp()
        moments = sorted(rng.random() for _ in range(count))
        written: list[Comment] = []
        threads.clear()
        for moment in moments:
            parent = rng.choice(written) if written and rng.random() > TOP_LEVEL else None
            text = comment_text(rng)
            position = 0
            if parent is not None:  # as comment_create numbers and counts replies
                top = threads[parent.thread_id]
                top.reply_count += 1
                position = top.reply_count
            comment = Comment(
                id=next_id,
                municipality_id=idea.municipality_id,
                project=project,
                idea=idea,
                parent=parent,
                thread_id=parent.thread_id if parent else next_id,
                depth=min(parent.depth + 1, MAX_DEPTH) if parent else 0,
                author=_author(rng, users),
                stance=rng.choices(STANCES, STANCE_WEIGHTS)[0],
                text=text,
                text_html=render_markdown(text),
                position=position,
                created_at=dt.datetime.fromtimestamp(start + moment * length, tz=dt.UTC),
            )
            if parent is None:
                threads[comment.pk] = comment
            next_id += 1
            written.append(comment)
        # The idea's comments are written once all its threads have counted their replies.
        yield from written


def _bulk(model: type[Model], rows: Iterable[Model]) -> list[Model]:
    created, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            created += model.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        created += model.objects.bulk_create(chunk)
    return created


def _reset_sequences(*models: type[Model]) -> None:
    """After rows with their own primary keys, the next insert continues above them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


if __name__ == "__main__":
    started = time.monotonic()
    fill(*(int(arg) for arg in sys.argv[1:4]))
    print(f"filled in {time.monotonic() - started:.0f} s", file=sys.stderr)

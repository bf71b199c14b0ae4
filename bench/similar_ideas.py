"""What finding the ideas like a draft costs, in a project of 10,000 ideas.

    python bench/similar_ideas.py                      # SQLite
    python bench/similar_ideas.py --database postgres  # PostgreSQL at 127.0.0.1
    python bench/similar_ideas.py --record             # also appends the figures to RESULTS.md

The demo town, then 10,000 ideas in one project, written from a vocabulary of a town's
concerns (places, things, wishes) with their word stems indexed as ``idea_create`` indexes
them. Then, in this one process and on the same data: ``ideas.similarity.similar_ideas`` for
a set of drafts, and as the baseline the idea list page's own query (its first page of 20
ideas with their count), each run many times; the median and the 95th percentile per call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_env import (
    database_label,
    database_url,
    machine,
    prepare_demo_town,
    record,
    server_environment,
)

IDEAS = 10_000
RUNS = 200
PLACES = [
    "am Bahnhof",
    "am Hafenbecken",
    "in der Lindenstraße",
    "im Stadtpark",
    "auf dem Marktplatz",
    "vor der Grundschule",
    "an der Kaistraße",
    "im Hafenquartier",
    "in der Nordstadt",
    "am Rathaus",
    "an der Bushaltestelle",
    "am Spielplatz",
    "an der Hafenallee",
]
THINGS = [
    "Fahrradbügel",
    "Sitzbänke",
    "Bäume",
    "Trinkbrunnen",
    "Zebrastreifen",
    "Beleuchtung",
    "Mülleimer",
    "Blumenbeete",
    "Spielgeräte",
    "Parkplätze",
    "Ladesäulen",
    "Hundewiese",
    "Sonnensegel",
    "Toiletten",
    "Radweg",
    "Tempo 30",
    "Carsharing",
    "Bücherschrank",
]
WISHES = [
    "Mehr",
    "Neue",
    "Bessere",
    "Sichere",
    "Schönere",
    "Zusätzliche",
    "Endlich",
    "Bitte",
]
REASONS = [
    "Im Sommer ist es dort heiß und es gibt keinen Schatten.",
    "Kinder sind auf dem Schulweg unterwegs und brauchen Schutz.",
    "Abends ist es dunkel und viele fühlen sich unsicher.",
    "Ältere Menschen brauchen Sitzgelegenheiten zum Ausruhen.",
    "Die Räder stehen überall herum und versperren den Gehweg.",
    "Es fehlt ein Ort, an dem sich Nachbarn treffen können.",
    "Viele Pendler kommen hier jeden Morgen vorbei.",
]
DRAFTS = [
    ("Mehr Fahrradbügel am Bahnhof", "Die Räder stehen überall herum."),
    ("Schatten auf dem Spielplatz", "Im Sommer ist es heiß, ein Sonnensegel wäre gut."),
    ("Zebrastreifen vor der Schule", "Kinder queren die Straße auf dem Schulweg."),
    ("Kunstrasen für den Sportverein", "Der Platz ist im Winter matschig."),
    ("Mehr Licht in der Nordstadt", "Abends ist es dunkel."),
]


def fill(project, rng: random.Random) -> None:
    from koproduktion.ideas.models import Idea  # noqa: PLC0415 - after django.setup()
    from koproduktion.ideas.services import idea_terms_index  # noqa: PLC0415

    author = None
    batch = []
    for n in range(IDEAS):
        title = f"{rng.choice(WISHES)} {rng.choice(THINGS)} {rng.choice(PLACES)}"
        text = " ".join(rng.sample(REASONS, 2)) + f" (Nr. {n})"
        batch.append(
            Idea(
                municipality_id=project.municipality_id,
                project=project,
                author=author,
                title=title,
                text=text,
            )
        )
        if len(batch) == 1000:
            idea_terms_index(ideas=Idea.objects.bulk_create(batch))
            batch = []
    if batch:
        idea_terms_index(ideas=Idea.objects.bulk_create(batch))


def timed(call, runs: int) -> tuple[float, float]:
    """Median and 95th percentile of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres or a URL")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    url = database_url(arguments.database)
    prepare_demo_town(url)
    os.environ.update(server_environment(url))
    import django  # noqa: PLC0415

    django.setup()
    from koproduktion.ideas.selectors import idea_list  # noqa: PLC0415
    from koproduktion.ideas.similarity import similar_ideas  # noqa: PLC0415
    from koproduktion.projects.models import Project  # noqa: PLC0415

    project = Project.objects.select_related("municipality").get(slug="fahrradstrasse-hafenallee")
    started = time.perf_counter()
    fill(project, random.Random(15))
    filled = time.perf_counter() - started

    def list_page() -> None:
        ideas = idea_list(project=project)
        ideas.count()
        list(ideas[:20])

    drafts = iter(DRAFTS * RUNS)

    def lookup() -> None:
        title, text = next(drafts)
        similar_ideas(project_id=project.pk, title=title, text=text)

    for title, text in DRAFTS:
        found = similar_ideas(project_id=project.pk, title=title, text=text)
        print(
            f"{title!r}: {len(found)} found, best {found[0].score:.2f}"
            if found
            else f"{title!r}: none"
        )
    baseline = timed(list_page, RUNS)
    similar = timed(lookup, RUNS)
    lines = [
        f"## Similar ideas while writing: one lookup among {IDEAS:,} ideas ({dt.date.today()})",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python bench/similar_ideas.py"
        f"{' --database ' + arguments.database if arguments.database != 'sqlite' else ''}` on "
        f"{machine()}, {database_label(url)}. {IDEAS:,} ideas in one project (indexed in "
        f"{filled:.0f} s), {RUNS} calls each, in one process; the baseline is the idea list "
        "page's query (its first 20 ideas and their count, `ideas.selectors.idea_list`).",
        "",
        "| call | median (ms) | 95th percentile (ms) |",
        "|---|---:|---:|",
        f"| idea list page's query (baseline) | {baseline[0]:.1f} | {baseline[1]:.1f} |",
        f"| `similar_ideas` for a draft | {similar[0]:.1f} | {similar[1]:.1f} |",
    ]
    print("\n".join(lines))
    if arguments.record:
        record("\n".join(lines))


if __name__ == "__main__":
    main()

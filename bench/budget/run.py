"""Fill a budget poll with VOTERS ballots of LINES_EACH lines and time its results.

Runs inside the project's environment with DATABASE_URL set (bench/budget_results.py starts it).
Prints one JSON line with the timings in milliseconds.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

import django

django.setup()

from django.db import connection, transaction
from django.utils import timezone

from koproduktion.core.models import Municipality
from koproduktion.decisions.models import Ballot, BallotLine, Poll, PollKind, PollOption
from koproduktion.decisions.results import poll_results
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project

BATCH = 10_000


def fill(voters: int, lines_each: int, n_options: int) -> Poll:
    rng = random.Random(40_000)
    with transaction.atomic():
        town = Municipality.objects.create(name="Benchstadt", slug="benchstadt")
        project = Project.objects.create(
            municipality=town,
            title="Haushalt",
            slug="haushalt",
            summary="Bench",
            phase=PhaseKind.DECISION,
            is_published=True,
        )
        now = timezone.now()
        poll = Poll.objects.create(
            municipality=town,
            project=project,
            title="Bürgerhaushalt",
            kind=PollKind.BUDGET,
            budget_cents=5_000_000_00,
            opens_at=now,
            closes_at=now + timezone.timedelta(days=1),
        )
        options = PollOption.objects.bulk_create(
            PollOption(
                municipality=town,
                poll=poll,
                title=f"Vorschlag {i}",
                cost_cents=rng.randint(5, 500) * 100_000,
                position=i,
            )
            for i in range(n_options)
        )
        # Popularity is skewed, as in real budgets: a few proposals get most votes.
        weights = [1 / (i + 1) ** 0.8 for i in range(n_options)]
        ballots = [
            Ballot(id=uuid.UUID(int=rng.getrandbits(128)), municipality=town, poll=poll)
            for _ in range(voters)
        ]
        for start in range(0, voters, BATCH):
            Ballot.objects.bulk_create(ballots[start : start + BATCH])
        chunk = []
        for ballot in ballots:
            chosen = set()
            while len(chosen) < lines_each:
                chosen.add(rng.choices(range(n_options), weights)[0])
            chunk += [
                BallotLine(municipality=town, ballot=ballot, poll=poll, option=options[i], value=1)
                for i in chosen
            ]
            if len(chunk) >= BATCH:
                BallotLine.objects.bulk_create(chunk)
                chunk = []
        BallotLine.objects.bulk_create(chunk)
    with connection.cursor() as cursor:
        # Fresh statistics and a visibility map, as autovacuum leaves a long-lived table.
        cursor.execute(
            "VACUUM (ANALYZE) decisions_ballotline"
            if connection.vendor == "postgresql"
            else "ANALYZE"
        )
    return poll


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    voters, lines_each, n_options, repeat = (int(a) for a in sys.argv[1:5])
    started = time.monotonic()
    poll = fill(voters, lines_each, n_options)
    fill_s = time.monotonic() - started
    line_table = BallotLine._meta.db_table

    def scan() -> None:  # the baseline: read every line of the poll once, no grouping
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), sum(value) FROM {line_table} WHERE poll_id = %s", [poll.pk]
            )
            cursor.fetchone()

    def round_trip() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def results() -> None:
        poll_results(Poll.objects.get(pk=poll.pk))

    results()  # warm caches, as a repeated results page would find them
    first = poll_results(Poll.objects.get(pk=poll.pk))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "voters": voters,
                "lines": BallotLine.objects.filter(poll=poll).count(),
                "options": n_options,
                "fill_s": round(fill_s, 1),
                "round_trip_ms": round(timed(round_trip, repeat * 5), 3),
                "scan_ms": round(timed(scan, repeat), 1),
                "results_ms": round(timed(results, repeat), 1),
                "funded": sum(1 for row in first.rows if row.funded),
                "reproducible": [r.option_id for r in first.rows]
                == [r.option_id for r in poll_results(poll).rows],
            }
        )
    )


if __name__ == "__main__":
    main()

"""The large opinion map of the live benchmark, and its voters: run with the app's DATABASE_URL.

    python bench/opinion_map/live_fill.py fill PARTICIPANTS STATEMENTS VOTES_EACH VOTERS
    python bench/opinion_map/live_fill.py count     # the voters' votes in the database (JSON)

``fill`` adds to the demo town a published project in the dialogue phase whose opinion map has
STATEMENTS statements and PARTICIPANTS participants (imported ones, without accounts), each
with VOTES_EACH distinct votes following three latent groups (as ``workloads.synthetic``), written
with PostgreSQL's COPY; then computes the map once, timing the computation alone (wall and
CPU); then makes VOTERS residents with sessions, who vote during the load. It prints JSON: the
project, the statements, the sessions and the computation's figures.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "mixed"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

import django

django.setup()

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from koproduktion.core.models import Municipality
from koproduktion.opinions.computation import compute_result, opinion_map_read, opinion_map_store
from koproduktion.opinions.models import OpinionMap, Participant, Statement, StatementVote
from koproduktion.opinions.services import opinion_map_ensure
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import project_create

TOWN = "musterstadt"
SLUG = "meinungsbild-last"
DOMAIN = "@bench.invalid"
SEED = 20261203


def votes(n_participants: int, n_statements: int, each: int) -> tuple[np.ndarray, ...]:
    """``each`` distinct statements per participant, leaning with one of three latent groups."""
    rng = np.random.default_rng(SEED)
    group = rng.choice(3, size=n_participants, p=[0.5, 0.3, 0.2])
    leaning = rng.choice([-1, 1], size=(3, n_statements))
    consensus = rng.random(n_statements) < 0.2
    leaning[:, consensus] = leaning[0, consensus]
    draws = each + 12  # a few more than needed, so that each has enough distinct ones
    participant = np.repeat(np.arange(n_participants), draws)
    statement = rng.integers(0, n_statements, size=participant.size)
    pairs = np.unique(participant * n_statements + statement)
    participant, statement = pairs // n_statements, pairs % n_statements
    starts = np.searchsorted(participant, np.arange(n_participants))
    rank = np.arange(len(participant)) - starts[participant]
    keep = rank < each
    participant, statement = participant[keep], statement[keep]
    follow = leaning[group[participant], statement]
    r = rng.random(participant.size)
    value = np.where(r < 0.7, follow, np.where(r < 0.8, 0, -follow)).astype(np.int8)
    return participant, statement, value


def _copy_votes(rows: np.ndarray, columns: str) -> None:
    table = StatementVote._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        step = 200_000
        for start in range(0, len(rows), step):
            buffer = io.StringIO()
            np.savetxt(buffer, rows[start : start + step], fmt="%s", delimiter="\t")
            copy.write(buffer.getvalue())


def fill(n_participants: int, n_statements: int, each: int, n_voters: int) -> dict:
    # The mixed load's residents of Musterstadt, each with a session as a log-in leaves it.
    from people import create as create_residents  # noqa: PLC0415

    town = Municipality.objects.get(slug=TOWN)
    with transaction.atomic():
        project = project_create(
            municipality=town,
            slug=SLUG,
            title="Meinungsbild unter Last",
            summary="50.000 Teilnehmende, 1.000 Thesen: das Meinungsbild des Lasttests.",
            phase=PhaseKind.DIALOGUE,
            is_published=True,
        )
        opinion_map = opinion_map_ensure(project=project)
        now = timezone.now()
        statements = Statement.objects.bulk_create(
            Statement(
                municipality=town,
                project=project,
                text=f"These {n + 1} des Lasttests",
                is_seed=True,
                status=Statement.Status.ACCEPTED,
                moderated_at=now,
            )
            for n in range(n_statements)
        )
        participants = Participant.objects.bulk_create(
            (
                Participant(municipality=town, project=project, external_id=str(n))
                for n in range(n_participants)
            ),
            batch_size=10_000,
        )
    participant, statement, value = votes(n_participants, n_statements, each)
    participant_pk = np.array([p.pk for p in participants], dtype=np.int64)
    statement_pk = np.array([s.pk for s in statements], dtype=np.int64)
    when = now.isoformat()
    rows = np.empty((len(value), 7), dtype=object)
    rows[:, 0] = town.pk
    rows[:, 1] = project.pk
    rows[:, 2] = statement_pk[statement]
    rows[:, 3] = participant_pk[participant]
    rows[:, 4] = value
    rows[:, 5] = when
    rows[:, 6] = when
    started = time.monotonic()
    with transaction.atomic():
        _copy_votes(
            rows,
            "municipality_id, project_id, statement_id, participant_id, value, created_at, "
            "updated_at",
        )
        counts = np.bincount(statement, minlength=n_statements)
        for pk, count in zip(statement_pk.tolist(), counts.tolist(), strict=True):
            Statement.objects.filter(pk=pk).update(vote_count=count)
    copied = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # The computation alone, on a quiet machine: reading, math, storing.
    opinion_map = OpinionMap.objects.get(pk=opinion_map.pk)
    wall, cpu = time.monotonic(), time.process_time()
    inputs = opinion_map_read(opinion_map=opinion_map)
    read = time.monotonic() - wall
    computed = compute_result(inputs)
    math = time.monotonic() - wall - read
    opinion_map_store(opinion_map=opinion_map, inputs=inputs, computed=computed)
    alone = {
        "wall": time.monotonic() - wall,
        "cpu": time.process_time() - cpu,
        "read": read,
        "math": math,
        "votes": computed.votes,
        "groups": len(computed.payload["groups"]),
    }
    voters = create_residents(n_voters)["sessions"]
    return {
        "project": SLUG,
        "statements": statement_pk.tolist(),
        "sessions": voters,
        "votes": len(value),
        "copy_seconds": copied,
        "alone": alone,
    }


def count() -> dict:
    return {
        "votes": StatementVote.objects.filter(
            project__slug=SLUG, participant__user__email__endswith=DOMAIN
        ).count()
    }


if __name__ == "__main__":
    result = fill(*(int(arg) for arg in sys.argv[2:6])) if sys.argv[1] == "fill" else count()
    print(json.dumps(result))

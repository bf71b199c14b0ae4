"""Many people writing at once through the real app: no server error, and no write lost.

gunicorn with several workers (separate processes, each with its own database connection) on a
database file — on SQLite, the default of ``make run``, every worker once raced for the file's
lock, and a third to a half of the writes answered 500 "database is locked". The load is the
mixed benchmark's (bench/mixed_load.py), with writes only: ideas, comments, supports,
opinion-map answers and ballots, each person with its own client address. Runs on the database
of the test run; the proof for SQLite needs a file, never the in-memory test database.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections import Counter
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from app_server import AppServer  # noqa: E402 - bench/ is put on sys.path first
from bench_env import prepare_demo_town  # noqa: E402
from mixed.results import lost_writes  # noqa: E402
from mixed_load import (  # noqa: E402
    API,
    TOWN,
    WRITES_ONLY,
    call,
    count_rows,
    create_people,
    load_environment,
    run_load,
    task_worker,
)

USERS = 12
WRITES_EACH = 15
ACCOUNTS_EACH = 6  # each votes once in the poll
WORKERS = 4


@pytest.fixture
def demo_town(scratch_database):
    """A database file (or PostgreSQL database) with the demo town and residents logged in."""
    url = scratch_database("concurrent_writes")
    prepare_demo_town(url)
    env = load_environment(url)
    people, world = create_people(url, count=USERS * ACCOUNTS_EACH, env=env)
    return url, env, people, world


def _errors(answers):
    return Counter(
        (a.kind, a.status, a.detail)
        for a in answers
        if not (200 <= a.status < 300 or a.status == 429)
    )


def test_concurrent_writes_all_succeed_and_are_all_stored(demo_town):
    url, env, people, world = demo_town
    with AppServer(database_url=url, workers=WORKERS, env=env) as server, task_worker(url, env):
        stats = run_load(
            server.base_url,
            people,
            world,
            users=USERS,
            mix=WRITES_ONLY,
            requests_per_user=WRITES_EACH,
        )
    assert _errors(stats.answers) == {}
    assert len(stats.answers) == USERS * WRITES_EACH
    # Every write is the first of its account in its window: no rate limit is reached.
    assert all(200 <= a.status < 300 for a in stats.answers)
    assert lost_writes(stats, count_rows(url, env=env)) == []
    if url.startswith("sqlite:"):
        # Readers read beside the writer: the app put the file into WAL mode, where it stays.
        with closing(sqlite3.connect(urlsplit(url).path)) as database:
            assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_one_person_supporting_and_voting_from_several_requests_at_once_counts_once(demo_town):
    """A double click, or a script: the same support and the same ballot sent in parallel."""
    url, env, people, world = demo_town
    person, idea = people[0], world.ideas[0]
    ballot = f"/api/v1/municipalities/{TOWN}/projects/{world.poll_project}/polls/{world.poll_id}"
    attempts = [
        ("POST", f"{API}/ideas/{idea}/support", {}),
        ("POST", f"{ballot}/ballot", {"choices": {str(world.poll_options[0]): 1}}),
    ] * 4
    statuses: list[tuple[str, int]] = []
    with AppServer(database_url=url, workers=WORKERS, env=env) as server:
        before = _supports(server.base_url, idea)
        start = threading.Barrier(len(attempts))

        def send(method, path, body):
            start.wait()
            status, _content, _ms = call(server.base_url, method, path, person=person, body=body)
            statuses.append((path.rsplit("/", 1)[-1], status))

        threads = [threading.Thread(target=send, args=attempt) for attempt in attempts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after = _supports(server.base_url, idea)
    assert Counter(statuses) == {
        ("support", 201): 1,
        ("support", 400): 3,
        ("ballot", 201): 1,
        ("ballot", 400): 3,
    }
    rows = count_rows(url, env=env)
    assert (rows["support"], rows["ballot"], rows["ballots_stored"]) == (
        1,
        1,
        rows["participations"],
    )
    assert after == before + 1


def _supports(base_url, idea):
    status, content, _ms = call(base_url, "GET", f"{API}/ideas/{idea}")
    assert status == 200
    return json.loads(content)["supports"]

"""Writes change only what they touch: people comment while visitors read.

    python bench/writes_load.py                        # SQLite, then PostgreSQL with Redis
    python bench/writes_load.py --database sqlite --duration 5
    python bench/writes_load.py --writers 32 --interval 1 --record

For each database: the dialogue of bench/dialogue_load.py (10,000 ideas, 100,000 comments,
200,000 supports; ``--no-fill`` keeps the database a run left), ``--writers`` × 20 residents
with sessions (bench/mixed/people.py) and gunicorn with two workers beside the task worker, as
``make run`` runs them (PostgreSQL with Redis for cache, sessions and rate limits). wrk (16
connections) loads ``/healthz``, the idea list and the page of the first idea on it as an
anonymous visitor, and ``/healthz`` again: once while nobody writes, once while ``--writers``
people comment on the ideas of the list's first page. Each writes as a person does, through the
idea page's form: the comment, then the page the answer sends them to; then waits
``--interval`` seconds. Every comment changes a count on that list page and the idea's page.

Each writer checks that the page it is sent to shows its comment at once (to its author), and
that a visitor asking for the same address right after gets it too. Each person has an address
of their own (``X-Forwarded-For``, one trusted proxy) and writes as 20 accounts in turn, so the
rate limits are those of the settings. After the run: the resident memory of each gunicorn
worker.

Targets: while people write, the anonymous idea list at ≥ 30 % of ``/healthz`` (measured in the
same phase), every comment shown at once to its author and to visitors, and each worker below
150 MiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import random
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from app_server import AppServer, local_only
from bench_env import POSTGRES_URL, SQLITE_URL, database_label, machine, percentile, record
from dialogue_load import IDEAS, SIZES, prepare
from http_load import ensure_wrk, format_table, measure_paths
from mixed_load import (
    Person,
    create_people,
    empty_redis,
    load_environment,
    task_worker,
)

SECTION = "## Writes change only what they touch: comments while visitors read"
WRITERS = 32
ACCOUNTS_PER_WRITER = 20
INTERVAL = 15.0  # seconds a writer waits between two comments
REDIS_DB = 13  # the tests use 15, ratelimit_check 14, mixed_load 12
TIMEOUT = 60
IDEA_LINK = re.compile(rf'href="{re.escape(IDEAS)}(\d+)/"')


@dataclass
class Write:
    """One comment: how long it took (the post and the page it led to) and who saw it."""

    status: int
    ms: float
    author_saw_it: bool = False
    visitor_saw_it: bool = False


@dataclass
class Writing:
    writes: list[Write] = field(default_factory=list)
    seconds: float = 0.0


def request(
    base_url: str,
    method: str,
    path: str,
    *,
    person: Person | None = None,
    form: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """One request on a connection of its own: status, body and the Location header."""
    parts = urlsplit(base_url)
    local_only(base_url)
    headers = {"Accept-Language": "de"}
    if person is not None:
        headers["Cookie"] = f"sessionid={person.session}; csrftoken={person.csrf}"
        headers["X-CSRFToken"] = person.csrf
        headers["X-Forwarded-For"] = person.address
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(), response.getheader("Location") or ""
    except OSError as error:
        return 0, str(error), ""
    finally:
        connection.close()


def comment(base_url: str, person: Person, idea: int, n: int) -> Write:
    """Comment on ``idea`` through its form; then its author, and a visitor, read the page."""
    started = time.perf_counter()
    status, _body, location = request(
        base_url,
        "POST",
        f"{IDEAS}{idea}/kommentieren/",
        person=person,
        form={"text": f"Kommentar {n} aus der Schreibprobe.", "stance": "pro"},
    )
    if status != 302 or "#kommentar-" not in location:
        return Write(status, (time.perf_counter() - started) * 1000)
    page, anchor = location.split("#", 1)
    page = urlsplit(page)._replace(scheme="", netloc="").geturl()
    _status, author_view, _ = request(base_url, "GET", page, person=person)
    ms = (time.perf_counter() - started) * 1000
    _status, visitor_view, _ = request(base_url, "GET", page)
    return Write(
        status,
        ms,
        author_saw_it=f'id="{anchor}"' in author_view,
        visitor_saw_it=f'id="{anchor}"' in visitor_view,
    )


class Writers:
    """``len(people) // accounts`` threads commenting on ``ideas`` until stopped."""

    def __init__(
        self, base_url: str, people: list[Person], ideas: list[int], *, count: int, interval: float
    ) -> None:
        self.base_url, self.ideas, self.interval = base_url, ideas, interval
        share = len(people) // count
        self.shares = [people[n * share : (n + 1) * share] for n in range(count)]
        self.stop = threading.Event()
        self.result = Writing()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(count)
        ]

    def _write(self, number: int) -> None:
        rng = random.Random(number)
        mine, turn = [], 0
        # Not all at once: the writers start spread over one interval.
        self.stop.wait(rng.random() * self.interval)
        while not self.stop.is_set():
            person = self.shares[number][turn % len(self.shares[number])]
            turn += 1
            mine.append(comment(self.base_url, person, rng.choice(self.ideas), turn))
            self.stop.wait(self.interval)
        with self.lock:
            self.result.writes.extend(mine)

    def __enter__(self) -> Writers:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 10)
        self.result.seconds = time.monotonic() - self.started


def format_writing(writing: Writing, *, writers: int, interval: float) -> str:
    writes = writing.writes
    stored = [w for w in writes if w.status == 302]
    ms = [w.ms for w in stored]
    refused = Counter(w.status for w in writes if w.status != 302)
    other = ", ".join(f"{n:,} answered {status or 'nothing'}" for status, n in refused.items())
    lines = [
        f"{writers} people commenting, each waiting {interval:g} s between comments: "
        f"{len(stored):,} comments in {writing.seconds:.0f} s ({len(stored) / writing.seconds:.1f}/s)"
        f"{f' ({other})' if other else ''}; "
        f"a comment and the page it leads to took {percentile(ms, 0.5):.0f} ms (p50), "
        f"{percentile(ms, 0.99):.0f} ms (p99).",
        f"Shown at once: to its author {sum(w.author_saw_it for w in stored):,} of "
        f"{len(stored):,}, to a visitor asking right after "
        f"{sum(w.visitor_saw_it for w in stored):,} of {len(stored):,}.",
    ]
    return " ".join(lines)


def ideas_on_the_list(base_url: str) -> list[int]:
    """The ideas of the list's first page, in its order."""
    _status, html, _ = request(base_url, "GET", IDEAS)
    return list(dict.fromkeys(int(pk) for pk in IDEA_LINK.findall(html)))


def measure(
    url: str, *, writers: int, interval: float, duration: int, fill: bool
) -> tuple[str, list[float]]:
    redis_db = None if urlsplit(url).scheme == "sqlite" else REDIS_DB
    env = load_environment(url, redis_db=redis_db)
    if fill:
        print(f"Preparing the dialogue in {url} …", file=sys.stderr, flush=True)
        prepare(url, SIZES)
    if redis_db is not None:
        empty_redis(redis_db)
    people, _world = create_people(url, count=writers * ACCOUNTS_PER_WRITER, env=env)
    label = database_label(url) + (" with Redis" if redis_db is not None else "")
    with AppServer(database_url=url, env=env) as server, task_worker(url, env):
        ideas = ideas_on_the_list(server.base_url)
        paths = [IDEAS, f"{IDEAS}{ideas[0]}/"]
        print(f"{label}, nobody writing …", file=sys.stderr, flush=True)
        quiet = measure_paths(server.base_url, paths, duration=duration)
        print(f"{label}, {writers} people commenting …", file=sys.stderr, flush=True)
        with Writers(server.base_url, people, ideas, count=writers, interval=interval) as running:
            busy = measure_paths(server.base_url, paths, duration=duration)
        rss = server.worker_rss_mib()
    tables = [
        format_table(quiet, title=f"{label}, anonymous, nobody writing"),
        format_table(busy, title=f"{label}, anonymous, while {writers} people comment"),
        format_writing(running.result, writers=writers, interval=interval),
        "Resident memory of the gunicorn workers after the run: "
        + ", ".join(f"{mib:.0f} MiB" for mib in rss)
        + ".",
    ]
    return "\n\n".join(tables), rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", help="sqlite, postgres or a DATABASE_URL")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument("--writers", type=int, default=WRITERS, help="people commenting (32)")
    parser.add_argument("--interval", type=float, default=INTERVAL, help="s between comments")
    parser.add_argument("--no-fill", action="store_true", help="use the database as it is")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    ensure_wrk()
    started = dt.datetime.now(dt.UTC)
    sections = []
    for choice in args.database or ["sqlite", "postgres"]:
        url = {"sqlite": SQLITE_URL, "postgres": POSTGRES_URL}.get(choice, choice)
        text, _rss = measure(
            url,
            writers=args.writers,
            interval=args.interval,
            duration=args.duration,
            fill=not args.no_fill,
        )
        print(text, flush=True)
        sections.append(text)
    if args.record:
        record(
            f"{SECTION}\n\nRun {started:%Y-%m-%d %H:%M} UTC with `python bench/writes_load.py` "
            f"on {machine()}; gunicorn 2 workers and the task worker, wrk 16 connections, "
            f"{args.duration} s per URL.\n\n" + "\n\n".join(sections)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

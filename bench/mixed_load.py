"""Mixed load: many people reading, writing and voting at once, with the lost-writes check.

    python bench/mixed_load.py                          # SQLite and PostgreSQL (+ Redis), 60 s
    python bench/mixed_load.py --database sqlite --duration 20
    python bench/mixed_load.py --users 50 --workers 4 --record

For each database: a fresh database with the demo town, ``--users × --accounts-per-user``
residents with sessions (bench/mixed/people.py), then gunicorn with ``--workers`` sync workers
and the task worker of ``make run`` (``db_worker``, the database queue). ``--users`` threads act
as people for ``--duration`` seconds, each choosing its next request at random:

- 80 % reads — the idea list, an idea page, the API's ideas and an idea's comments; half of them
  as a visitor (from the visitors' page cache), half logged in (rendered afresh);
- 15 % writes — a new idea, a comment, a support (the API, with the session and its CSRF token);
- 5 % votes — an opinion-map statement, or a ballot in the open budget poll (ballots of one poll
  queue on the poll's pool row: their latency shows it).

Each thread writes as its own accounts in turn, each with its own client address
(``X-Forwarded-For``, the server trusting one proxy), so the rate limits of one person are not
what is measured; answers 429 are counted apart and are not errors. Every other answer outside
2xx is an error. The baseline is ``/healthz`` loaded by the same threads for ``--baseline``
seconds before and after, in the same run. After the run the rows in the database are counted
against the successful answers: a write answered 2xx and not stored is a lost write.

PostgreSQL runs with Redis (``REDIS_URL``, database ``REDIS_DB``, emptied first) for the page
cache, sessions and rate limits, as in production; SQLite with no Redis, as ``make run`` does.

As a library (the concurrency test uses it)::

    people = create_people(url, count=40)
    with AppServer(database_url=url, workers=4, env=load_environment(url)):
        stats = run_load(base_url, people, users=8, mix=WRITES_ONLY, requests_per_user=20)
    lost_writes(stats, count_rows(url))  # mixed/results.py: [] when every write is stored
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import random
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from app_server import HEALTHZ, AppServer, local_only
from bench_env import (
    HOST,
    OUT,
    PYTHON,
    ROOT,
    database_label,
    machine,
    prepare_demo_town,
    record,
    server_environment,
)
from mixed.results import Answer, Stats, format_report

SECTION = "## Mixed load: reading, writing and voting at once"
TOWN = "musterstadt"
DIALOGUE = "fahrradstrasse-hafenallee"
PAGES = f"/{TOWN}/vorhaben/{DIALOGUE}/ideen/"
API = f"/api/v1/municipalities/{TOWN}/projects/{DIALOGUE}"
REDIS_DB = 12  # the tests use 15, bench/ratelimit_check.py 14
# Databases of their own, so that another benchmark's fresh start cannot drop them mid-run.
DATABASES = {
    "sqlite": f"sqlite:///{OUT / 'mixed_load.sqlite3'}",
    "postgres": f"postgres://postgres@{HOST}:5432/kp_bench_mixed",
}
USERS = 50
ACCOUNTS_PER_USER = 20
WORKERS = 4
TIMEOUT = 60  # seconds for one answer; gunicorn's worker timeout too
BURST = 5  # votes per user in each burst of votes

# (kind, weight in percent). Reads: half visitors, half logged in.
MIXED = [
    ("read: idea list, visitor", 10),
    ("read: idea list, logged in", 10),
    ("read: idea page, visitor", 10),
    ("read: idea page, logged in", 10),
    ("read: API ideas, visitor", 10),
    ("read: API ideas, logged in", 10),
    ("read: API comments, visitor", 10),
    ("read: API comments, logged in", 10),
    ("write: idea", 5),
    ("write: comment", 5),
    ("write: support", 5),
    ("vote: statement", 2.5),
    ("vote: ballot", 2.5),
]
WRITES_ONLY = [
    ("write: idea", 1),
    ("write: comment", 2),
    ("write: support", 2),
    ("vote: statement", 2),
    ("vote: ballot", 1),
]


# -- the people -----------------------------------------------------------------------------


@dataclass
class Person:
    session: str
    address: str  # the client address the server sees (X-Forwarded-For)
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 characters
    supported: set[int] = field(default_factory=set)
    has_voted: bool = False


@dataclass
class World:
    """The ids the load chooses from; ideas grow as the load creates them."""

    ideas: list[int]
    statements: list[int]
    poll_project: str
    poll_id: int
    poll_options: list[int]


def _run_people(database_url: str, *args: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run(
        [PYTHON, str(HERE / "mixed" / "people.py"), *args],
        cwd=ROOT,
        env=server_environment(database_url, env),
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def create_people(
    database_url: str, *, count: int, env: dict[str, str] | None = None
) -> tuple[list[Person], World]:
    """``count`` logged-in residents of the demo town, each with an address of their own."""
    data = _run_people(database_url, "create", str(count), env=env)
    people = [
        Person(session=key, address=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        for n, key in enumerate(data["sessions"])
    ]
    poll = data["poll"]
    world = World(
        ideas=data["ideas"],
        statements=data["statements"],
        poll_project=poll["project"],
        poll_id=poll["id"],
        poll_options=poll["options"],
    )
    return people, world


def count_rows(database_url: str, *, env: dict[str, str] | None = None) -> dict[str, int]:
    """What the people wrote, counted in the database (people.py count)."""
    return _run_people(database_url, "count", env=env)


# -- one request ----------------------------------------------------------------------------


def call(
    base_url: str,
    method: str,
    path: str,
    *,
    person: Person | None = None,
    body: dict | None = None,
) -> tuple[int, bytes, float]:
    """One request on a connection of its own (gunicorn's sync workers close each one)."""
    parts = urlsplit(base_url)
    local_only(base_url)
    headers = {"Accept-Language": "de"}
    if person is not None:
        headers["Cookie"] = f"sessionid={person.session}; csrftoken={person.csrf}"
        headers["X-CSRFToken"] = person.csrf
        headers["X-Forwarded-For"] = person.address
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        content = response.read()
        status = response.status
    except OSError as error:
        content, status = str(error).encode(), 0
    finally:
        connection.close()
    return status, content, (time.perf_counter() - started) * 1000


class Load:
    """The requests of the mix, as one thread of the load makes them."""

    def __init__(self, base_url: str, people: list[Person], world: World, seed: int) -> None:
        self.base_url = base_url
        self.people = people
        self.world = world
        self.rng = random.Random(seed)
        self.turn = 0

    def _next_person(self) -> Person:
        self.turn += 1
        return self.people[self.turn % len(self.people)]

    def _idea(self) -> int:
        return self.rng.choice(self.world.ideas)

    def _get(self, kind: str, path: str, person: Person | None) -> Answer:
        status, content, ms = call(self.base_url, "GET", path, person=person)
        return Answer(kind, status, ms, detail=_detail(status, content))

    def _post(self, kind: str, path: str, person: Person, body: dict) -> tuple[Answer, dict]:
        status, content, ms = call(self.base_url, "POST", path, person=person, body=body)
        data = {}
        if 200 <= status < 300:
            data = json.loads(content)
        return Answer(kind, status, ms, detail=_detail(status, content)), data

    def act(self, kind: str) -> Answer:  # noqa: PLR0911 - one branch per kind of request
        reader = self.rng.choice(self.people) if kind.endswith("logged in") else None
        if kind.startswith("read: idea list"):
            return self._get(kind, PAGES, reader)
        if kind.startswith("read: idea page"):
            return self._get(kind, f"{PAGES}{self._idea()}/", reader)
        if kind.startswith("read: API ideas"):
            return self._get(kind, f"{API}/ideas", reader)
        if kind.startswith("read: API comments"):
            return self._get(kind, f"{API}/ideas/{self._idea()}/comments", reader)
        person = self._next_person()
        if kind == "write: idea":
            n = self.rng.randrange(10**9)
            answer, data = self._post(
                kind,
                f"{API}/ideas",
                person,
                {"title": f"Lastprobe {n}", "text": f"Eine Idee aus der Lastprobe, Nummer {n}."},
            )
            if data:
                self.world.ideas.append(data["id"])
                person.supported.add(data["id"])  # nobody supports their own idea
                return _stored(answer, data["id"])
            return answer
        if kind == "write: comment":
            answer, data = self._post(
                kind,
                f"{API}/ideas/{self._idea()}/comments",
                person,
                {"text": "Ein Kommentar aus der Lastprobe.", "stance": "pro"},
            )
            return _stored(answer, data.get("id")) if data else answer
        if kind == "write: support":
            choices = [i for i in self.world.ideas[-200:] if i not in person.supported]
            idea = self.rng.choice(choices or self.world.ideas)
            person.supported.add(idea)
            answer, data = self._post(kind, f"{API}/ideas/{idea}/support", person, {})
            return _stored(answer, (person.session, idea)) if data else answer
        if kind == "vote: statement":
            statement = self.rng.choice(self.world.statements)
            answer, data = self._post(
                kind,
                f"{API}/statements/{statement}/vote",
                person,
                {"vote": self.rng.choice(["agree", "disagree", "pass"])},
            )
            return _stored(answer, (person.session, statement)) if data else answer
        if kind == "vote: ballot":
            voter = next((p for p in self.people if not p.has_voted), None)
            if voter is None:
                raise RuntimeError("Every account has voted: raise --accounts-per-user.")
            voter.has_voted = True
            option = self.rng.choice(self.world.poll_options)
            answer, data = self._post(
                kind,
                f"/api/v1/municipalities/{TOWN}/projects/{self.world.poll_project}"
                f"/polls/{self.world.poll_id}/ballot",
                voter,
                {"choices": {str(option): 1}},
            )
            return _stored(answer, voter.session) if data else answer
        raise ValueError(f"Unknown kind of request: {kind}")


def _stored(answer: Answer, key: object) -> Answer:
    return Answer(answer.kind, answer.status, answer.ms, key=key, detail=answer.detail)


def _detail(status: int, content: bytes) -> str:
    """The first words of an error answer, to tell the kinds of failure apart."""
    if 200 <= status < 400:
        return ""
    text = content.decode(errors="replace")
    with contextlib.suppress(ValueError, AttributeError):
        text = json.loads(text)["detail"]
    return " ".join(str(text).split())[:120]


# -- the load -------------------------------------------------------------------------------


def run_load(
    base_url: str,
    people: list[Person],
    world: World,
    *,
    users: int,
    mix: list[tuple[str, float]],
    duration: float | None = None,
    requests_per_user: int | None = None,
    seed: int = 20261203,
) -> Stats:
    """``users`` threads making requests of ``mix`` for ``duration`` s or ``requests_per_user``.

    Each thread has its own share of ``people`` (no two threads act as the same person).
    """
    if (duration is None) == (requests_per_user is None):
        raise ValueError("Give either duration or requests_per_user.")
    share = len(people) // users
    if share < 1:
        raise ValueError("Fewer people than users.")
    kinds, weights = zip(*mix, strict=True)
    answers: list[Answer] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(users + 1)
    deadline = [0.0]

    def user(number: int) -> None:
        load = Load(base_url, people[number * share : (number + 1) * share], world, seed + number)
        mine = []
        start.wait()
        try:
            while not (
                (requests_per_user is not None and len(mine) >= requests_per_user)
                or (duration is not None and time.monotonic() >= deadline[0])
            ):
                mine.append(load.act(load.rng.choices(kinds, weights)[0]))
        except Exception as failure:
            failures.append(failure)
        with lock:
            answers.extend(mine)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + (duration or 0)
    start.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return Stats(answers=answers, seconds=time.monotonic() - began)


def load_healthz(base_url: str, *, users: int, duration: float) -> Stats:
    """The baseline: ``users`` threads asking ``/healthz`` for ``duration`` seconds."""
    answers: list[Answer] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def user() -> None:
        mine = []
        while time.monotonic() < deadline:
            status, _content, ms = call(base_url, "GET", HEALTHZ)
            mine.append(Answer("baseline: /healthz", status, ms))
        with lock:
            answers.extend(mine)

    began = time.monotonic()
    threads = [threading.Thread(target=user, daemon=True) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Stats(answers=answers, seconds=time.monotonic() - began)


def vote_bursts(
    base_url: str, people: list[Person], world: World, *, users: int, each: int = BURST
) -> list[Stats]:
    """Everybody voting at once, ``each`` votes per user: ballots in the one poll, which queue
    on its pool row, then answers to the opinion map's statements, which do not."""
    return [
        run_load(base_url, people, world, users=users, mix=[(kind, 1)], requests_per_user=each)
        for kind in ("vote: ballot", "vote: statement")
    ]


# -- the servers ----------------------------------------------------------------------------


def load_environment(database_url: str, *, redis_db: int | None = None) -> dict[str, str]:
    """The app's environment under load: one trusted proxy (each person's own address), the
    database task queue of ``make run``, and Redis when asked for."""
    env = {
        "TRUSTED_PROXY_COUNT": "1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": "locmem://",
    }
    if redis_db is not None:
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    return env


@contextlib.contextmanager
def task_worker(database_url: str, env: dict[str, str]) -> Iterator[None]:
    """``manage.py db_worker`` beside the app, as ``make run`` starts it."""
    process = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker"],
        cwd=ROOT,
        env=server_environment(database_url, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def empty_redis(db: int) -> None:
    import redis  # noqa: PLC0415 - only for the PostgreSQL run

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def measure(
    url: str, *, users: int, accounts: int, workers: int, duration: float, baseline: float
) -> str:
    redis_db = None if urlsplit(url).scheme == "sqlite" else REDIS_DB
    env = load_environment(url, redis_db=redis_db)
    print(f"Preparing the demo town in {url} …", file=sys.stderr, flush=True)
    prepare_demo_town(url)
    if redis_db is not None:
        empty_redis(redis_db)
    people, world = create_people(url, count=users * accounts, env=env)
    label = database_label(url)
    with AppServer(database_url=url, workers=workers, env=env) as server, task_worker(url, env):
        print(f"Loading {label} …", file=sys.stderr, flush=True)
        # Unrecorded: two pages per user, so that every worker is warm.
        run_load(
            server.base_url,
            people,
            world,
            users=users,
            mix=[("read: idea list, visitor", 1)],
            requests_per_user=2,
        )
        before = load_healthz(server.base_url, users=users, duration=baseline)
        stats = run_load(server.base_url, people, world, users=users, mix=MIXED, duration=duration)
        bursts = vote_bursts(server.base_url, people, world, users=users)
        after = load_healthz(server.base_url, users=users, duration=baseline)
    rows = count_rows(url, env=env)
    title = f"{label}{' with Redis' if redis_db is not None else ''}"
    return format_report(stats, [before, after], bursts=bursts, rows=rows, title=title)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", help="sqlite, postgres or a DATABASE_URL")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--baseline", type=float, default=10, help="seconds of /healthz, twice")
    parser.add_argument("--users", type=int, default=USERS, help="concurrent people (50)")
    parser.add_argument("--accounts-per-user", type=int, default=ACCOUNTS_PER_USER)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (4)")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    tables = [
        measure(
            DATABASES.get(choice, choice),
            users=args.users,
            accounts=args.accounts_per_user,
            workers=args.workers,
            duration=args.duration,
            baseline=args.baseline,
        )
        for choice in args.database or ["sqlite", "postgres"]
    ]
    section = "\n\n".join(
        [
            SECTION,
            f"Run {started:%Y-%m-%d %H:%M} UTC with `python bench/mixed_load.py` on {machine()}; "
            f"gunicorn with {args.workers} sync workers and the task worker (`db_worker`), "
            f"{args.users} concurrent people for {args.duration:g} s, `/healthz` for "
            f"{args.baseline:g} s before and after, all on 127.0.0.1; the load's client runs "
            "on the same two cores.",
            *tables,
        ]
    )
    print(section)
    if args.record:
        record(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

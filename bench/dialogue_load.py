"""The dialogue under load: 10,000 ideas, 100,000 comments, 200,000 supports in one project.

    python bench/dialogue_load.py                 # SQLite and PostgreSQL
    python bench/dialogue_load.py --database sqlite --duration 5
    python bench/dialogue_load.py --record        # append the tables to bench/RESULTS.md
    REDIS_URL=redis://127.0.0.1:6379/7 python bench/dialogue_load.py   # cache and sessions in Redis

For each database: a fresh database with the demo town, filled by bench/dialogue/fill.py with a
dialogue shaped like a real one (heavy-tailed: most ideas a few comments, some hundreds, one
2,000); then gunicorn with two workers, and wrk with 16 connections on the idea list (first page
and page 50), the idea with the most comments, its comments in the API, the ideas' GeoJSON and
/healthz as the baseline measured in the same run. Each page is measured twice: as an anonymous
visitor (served from the visitors' page cache) and logged in as the demo town's resident
(rendered every time: the real load).

Targets, logged in: the idea list, the comments API and the GeoJSON at ≥ 25 % of /healthz's
throughput, the idea with 2,000 comments at ≥ 10 %, p99 under 50 ms for each on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app_server import AppServer
from bench_env import (
    POSTGRES_URL,
    SQLITE_URL,
    database_label,
    machine,
    prepare_filled_town,
    record,
    server_environment,
)
from http_load import ensure_wrk, format_table, measure_paths

PROJECT = "/musterstadt/vorhaben/fahrradstrasse-hafenallee"
API = "/api/v1/municipalities/musterstadt/projects/fahrradstrasse-hafenallee"
IDEAS = f"{PROJECT}/ideen/"
SIZES = (10_000, 100_000, 200_000)
RESIDENT = "buergerin@musterstadt.example"  # a resident of the demo town (seed_demo)
SECTION = "## Dialogue under load (10,000 ideas, 100,000 comments, 200,000 supports)"


def prepare(database_url: str, sizes: tuple[int, int, int]) -> None:
    prepare_filled_town(database_url, HERE / "dialogue" / "fill.py", *sizes)


def _shell(database_url: str, code: str) -> str:
    """Run ``code`` in ``manage.py shell`` with the app's environment; its last line of output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=HERE.parent,
        env=server_environment(database_url),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def busiest_idea(database_url: str) -> int:
    """The idea with the most comments (2,000 at the default sizes)."""
    return int(
        _shell(
            database_url,
            "from koproduktion.ideas.models import Idea;"
            "print(Idea.objects.filter(project__slug='fahrradstrasse-hafenallee')"
            ".order_by('-comment_count', 'id').values_list('id', flat=True)[0])",
        )
    )


def session_cookie(database_url: str) -> str:
    """A session of the demo town's resident, made as a log-in makes it, as a Cookie header."""
    code = (
        "from importlib import import_module;"
        "from django.conf import settings;"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from koproduktion.accounts.models import User;"
        f"user = User.objects.get(email={RESIDENT!r});"
        "store = import_module(settings.SESSION_ENGINE).SessionStore();"
        "store[SESSION_KEY] = str(user.pk);"
        "store[BACKEND_SESSION_KEY] = 'koproduktion.accounts.backends.ModelBackend';"
        "store[HASH_SESSION_KEY] = user.get_session_auth_hash();"
        "store.save();"
        "print(settings.SESSION_COOKIE_NAME + '=' + store.session_key)"
    )
    return _shell(database_url, code)


# A page of nothing but the layout and a text: what any page costs a logged-in person (the
# session, the person, their roles and the header's counts), the floor under the others.
LAYOUT_ONLY = "/impressum/"


def paths_of(idea: int) -> list[str]:
    return [
        IDEAS,
        f"{IDEAS}?seite=50",
        f"{IDEAS}{idea}/",
        f"{API}/ideas/{idea}/comments",
        f"{API}/ideas.geojson",
        LAYOUT_ONLY,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", help="sqlite, postgres or a DATABASE_URL")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument(
        "--sizes", type=int, nargs=3, default=SIZES, metavar=("IDEAS", "COMMENTS", "SUPPORTS")
    )
    parser.add_argument("--no-fill", action="store_true", help="use the database as it is")
    parser.add_argument(
        "--visitor",
        choices=["anonymous", "logged-in", "both"],
        default="both",
        help="who visits (default both)",
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    ensure_wrk()
    started = dt.datetime.now(dt.UTC)
    tables = []
    for choice in args.database or ["sqlite", "postgres"]:
        url = {"sqlite": SQLITE_URL, "postgres": POSTGRES_URL}.get(choice, choice)
        if not args.no_fill:
            print(f"{choice}: preparing {args.sizes} …", file=sys.stderr)
            prepare(url, tuple(args.sizes))
        label = database_label(url)
        paths = paths_of(busiest_idea(url))
        visitors = {
            "anonymous": None,
            "logged in": {"Cookie": session_cookie(url)},
        }
        if args.visitor != "both":
            visitors = {args.visitor.replace("-", " "): visitors[args.visitor.replace("-", " ")]}
        with AppServer(database_url=url) as server:
            for who, headers in visitors.items():
                print(f"{label}, {who} …", file=sys.stderr)
                rows = measure_paths(
                    server.base_url, paths, duration=args.duration, headers=headers
                )
                table = format_table(rows, title=f"{label}, {who}")
                print(table, flush=True)
                tables.append(table)
            memory = "Resident memory of the gunicorn workers after the run: " + ", ".join(
                f"{mib:.0f} MiB" for mib in server.worker_rss_mib()
            )
            print(memory, flush=True)
            tables.append(memory + ".")
    if args.record:
        redis = "with Redis (page cache and sessions)" if _uses_redis() else "without Redis"
        record(
            f"{SECTION}\n\nRun {started:%Y-%m-%d %H:%M} UTC with `python bench/dialogue_load.py` "
            f"on {machine()}, {redis}; gunicorn 2 workers, wrk 16 connections, "
            f"{args.duration} s per URL.\n\n" + "\n\n".join(tables)
        )
    return 0


def _uses_redis() -> bool:
    return bool(server_environment("").get("REDIS_URL"))


if __name__ == "__main__":
    raise SystemExit(main())

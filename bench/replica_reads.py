"""What reading from a streaming replica costs a request: pages with and without DATABASE_REPLICA_URL.

    python bench/replica_reads.py                  # 10 s per URL
    python bench/replica_reads.py --duration 5 --record

A throw-away PostgreSQL primary and its standby (tests/postgres_clusters.py), the demo town
migrated and seeded, then the same pages under gunicorn twice: once on the primary alone, once
with ``DATABASE_REPLICA_URL`` (core/db_router.py), loaded with wrk as bench/http_load.py does —
the project's idea list and the project page as a visitor (from the page cache; the content version
is read where the page reads), and the idea list logged in (rendered afresh, with the session of a
person who has not written lately, so from the replica). ``/healthz`` (the primary only) is
the baseline in both runs.

On one machine the replica adds no capacity: primary, standby, app and wrk share the cores. What
the figures show is what the routing costs a request — the router's decisions and a second
connection — not what a replica on its own machine takes off the primary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from app_server import AppServer
from bench_env import machine, record, server_environment
from http_load import ensure_wrk, format_table, measure_paths

from tests.postgres_clusters import PrimaryWithReplica
from tests.web_client import Browser
from tools.production_check import manage

PROJECT = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/"
VISITOR_PATHS = [PROJECT, PROJECT + "ideen/"]
LOGGED_IN_PATHS = [PROJECT + "ideen/"]
RESIDENT = "radler@musterstadt.example"
DATABASE = "koproduktion"


def session_cookie(base_url: str) -> str:
    """The session of a resident who logged in, without the mark of that write."""
    person = Browser()
    person.log_in(base_url, RESIDENT)
    return f"sessionid={person.cookie('sessionid')}"


def measure_run(primary_url: str, env: dict[str, str], *, duration: int, title: str) -> str:
    with AppServer(database_url=primary_url, env=env) as server:
        visitor = measure_paths(server.base_url, VISITOR_PATHS, duration=duration)
        headers = {"Cookie": session_cookie(server.base_url)}
        logged_in = measure_paths(
            server.base_url, LOGGED_IN_PATHS, duration=duration, headers=headers
        )
    return "\n\n".join(
        [
            format_table(visitor, title=f"{title}: visitor"),
            format_table(logged_in, title=f"{title}: logged in"),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    ensure_wrk()
    started = dt.datetime.now(dt.UTC)
    with PrimaryWithReplica() as servers:
        servers.primary.execute(f"CREATE DATABASE {DATABASE}")
        primary_url, replica_url = servers.primary.url(DATABASE), servers.replica.url(DATABASE)
        alone = server_environment(primary_url, {"DATABASE_REPLICA_URL": ""})
        with_replica = server_environment(primary_url, {"DATABASE_REPLICA_URL": replica_url})
        print("Preparing the demo town …", file=sys.stderr, flush=True)
        manage("migrate", "--noinput", env=with_replica)
        manage("seed_demo", env=with_replica)
        servers.wait_for_replay()
        tables = [
            measure_run(primary_url, alone, duration=args.duration, title="Primary alone"),
            measure_run(
                primary_url, with_replica, duration=args.duration, title="Reads from the replica"
            ),
        ]
    section = "\n\n".join(
        [
            "## Reads from a streaming replica (bench/replica_reads.py)",
            f"Run {started:%Y-%m-%d %H:%M} UTC on {machine()}; a throw-away PostgreSQL primary "
            f"and its standby on 127.0.0.1, gunicorn with two sync workers, {args.duration} s "
            "per URL. Everything shares the machine: the figures show what the routing costs a "
            "request, not the capacity a replica on its own machine adds.",
            *tables,
        ]
    )
    print(section)
    if args.record:
        record(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

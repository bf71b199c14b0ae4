"""The dialogue under load: 10,000 ideas, 100,000 comments, 200,000 supports in one project.

    python bench/dialogue_load.py                 # SQLite and PostgreSQL
    python bench/dialogue_load.py --database sqlite --duration 5
    python bench/dialogue_load.py --record        # append the tables to bench/RESULTS.md

For each database: a fresh database with the demo town, filled by bench/dialogue/fill.py; then
gunicorn with two workers, and wrk with 16 connections on the idea list (first page and page 50),
an idea page with its discussion, and /healthz as the baseline measured in the same run.
Targets: the idea list at ≥ 50 % of /healthz's throughput, p99 under 50 ms.
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

IDEAS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"
SIZES = (10_000, 100_000, 200_000)
SECTION = "## Dialogue under load (10,000 ideas, 100,000 comments, 200,000 supports)"


def prepare(database_url: str, sizes: tuple[int, int, int]) -> None:
    prepare_filled_town(database_url, HERE / "dialogue" / "fill.py", *sizes)


def busiest_idea(database_url: str) -> int:
    """An idea in the middle of the list, with its full share of comments."""
    code = (
        "from koproduktion.ideas.models import Idea;"
        "ids = list(Idea.objects.filter(project__slug='fahrradstrasse-hafenallee')"
        ".order_by('-created_at', '-id').values_list('id', flat=True)[500:501]);"
        "print(ids[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=HERE.parent,
        env=server_environment(database_url),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return int(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", help="sqlite, postgres or a DATABASE_URL")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument(
        "--sizes", type=int, nargs=3, default=SIZES, metavar=("IDEAS", "COMMENTS", "SUPPORTS")
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    ensure_wrk()
    tables = []
    for choice in args.database or ["sqlite", "postgres"]:
        url = {"sqlite": SQLITE_URL, "postgres": POSTGRES_URL}.get(choice, choice)
        label = database_label(url)
        print(f"{label}: preparing {args.sizes} …", file=sys.stderr)
        prepare(url, tuple(args.sizes))
        idea = busiest_idea(url)
        paths = [IDEAS, f"{IDEAS}?seite=50", f"{IDEAS}{idea}/"]
        with AppServer(database_url=url) as server:
            rows = measure_paths(server.base_url, paths, duration=args.duration)
        table = format_table(rows, title=label)
        print(table)
        tables.append(table)
    if args.record:
        today = dt.date.today().isoformat()
        record(
            f"{SECTION}\n\n{today}, {machine()}, gunicorn 2 workers, wrk 16 connections, "
            f"{args.duration} s per URL.\n\n" + "\n\n".join(tables)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The town's search under load: 16 clients, varied queries, over 100,000 ideas and 1,000,000
comments on PostgreSQL, measured against /healthz.

    python bench/search_load.py                                 # full size, PostgreSQL
    python bench/search_load.py --ideas 2000 --comments 20000   # a quick run
    python bench/search_load.py --database sqlite --ideas 2000 --comments 20000
    python bench/search_load.py --record                        # append to bench/RESULTS.md
    python bench/search_load.py --no-fill --duration 5          # again, on the data filled
    REDIS_URL=redis://127.0.0.1:6379/7 python bench/search_load.py  # cache and limits in Redis
    python bench/search_load.py --no-fill --visitor logged-in   # as the demo town's resident

A fresh database (PostgreSQL: kp_bench_search on 127.0.0.1, dropped and created again) with
the demo town, filled by bench/search/fill.py; then gunicorn with two workers, and wrk with 16
connections loads, each for ``--duration`` seconds: /healthz (before and after, the baseline),
the search page over all kinds, the search page of one kind, and the API's search. Each
request of a row takes the next of ``QUERIES`` (a wrk ``request`` function cycles through
them): single words, plurals of stored singulars, two words, a phrase, an exclusion, a word
found nowhere, syntax characters. Anonymous by default, as most searches are; with
``--visitor logged-in`` every request carries the session of the demo town's resident. A
visitor's ranking is kept a minute in each process (search/selectors.py), so those rows
measure searches that many people make; two more rows make every query new
(``NEW_EVERY_TIME``), the search's own cost. A person's ranking is never kept: for them every
row measures the search's own cost. Each search row also says how much CPU one search took in
the app (gunicorn's workers) and in PostgreSQL (all its processes), read from /proc: where a
search's time goes, since 16 connections on two cores wait mostly for each other.
Target on PostgreSQL: p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app_server import HEALTHZ, AppServer, children
from bench_env import POSTGRES_URL, SQLITE_URL, database_label, machine, prepare_filled_town, record
from dialogue_load import session_cookie
from http_load import THREADS, Measurement, ensure_wrk, format_table, measure, warm_up
from process_stats import cpu_between, cpu_by_pid, cpu_seconds, postgres_pids

POSTGRES = POSTGRES_URL.rsplit("/", 1)[0] + "/kp_bench_search"
SQLITE = SQLITE_URL.replace("http_load.sqlite3", "search_load.sqlite3")
TARGET_P99_MS = 100
QUERIES = [
    "Radwege",
    "Sitzbank",
    "Bäume im Stadtpark",
    "Trinkbrunnen",
    "Beleuchtung Nordstadt",
    "Spielgerät",
    '"Tempo 30"',
    "Parkplatz -Ladesäulen",
    "Hundewiese",
    "Sonnensegel Spielplatz",
    "Bücherschrank",
    "Zebrastreifen Grundschule",
    "Schulweg Kinder",
    "Kunstrasen",
    "Carsharing oder Ladesäule",
    "Mülleimer & Toiletten!",
]
KINDS = {
    "search page, all kinds": ("/musterstadt/suche/", {}),
    "search page, ideas": ("/musterstadt/suche/", {"art": "ideen"}),
    "search page, comments": ("/musterstadt/suche/", {"art": "kommentare"}),
    "API search": ("/api/v1/municipalities/musterstadt/search", {}),
}


# Rows searched with every query new: visitors' rankings are kept a minute per process, so the
# 16 queries above measure mostly what is kept. Here each request takes one of them with a
# word excluded that no record holds ("-zq17"): the same records match, at the same cost, but
# no two requests are alike, so nothing kept can answer.
NEW_EVERY_TIME = ("search page, all kinds", "API search")
DISTINCT = 4_000


def paths(base: str, extra: dict[str, str], distinct: bool = False) -> list[str]:
    if not distinct:
        queries = QUERIES
    else:
        queries = [f"{QUERIES[n % len(QUERIES)]} -zq{n}" for n in range(DISTINCT)]
    return [f"{base}?{urlencode({'q': query, **extra})}" for query in queries]


def cycling(requests: list[str]) -> str:
    """A wrk ``request`` function that takes the next of ``requests`` each time. Each of wrk's
    threads takes its own share (thread k the k-th, then every THREADS-th), so that no two
    threads send the same request at about the same time: with every query new, a second
    thread in step with the first would find the first one's ranking kept."""
    quoted = ", ".join(
        '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in requests
    )
    return (
        f"local paths = {{{quoted}}}\n"
        "local made = 0\n"
        "setup = function(thread)\n"
        "  thread:set('first', made)\n"
        "  made = made + 1\n"
        "end\n"
        "local i = nil\n"
        "request = function()\n"
        "  if i == nil then i = first or 0 else i = i + "
        f"{THREADS} end\n"
        "  return wrk.format(nil, paths[(i % #paths) + 1])\n"
        "end\n"
    )


@dataclass(frozen=True)
class Cost:
    """The CPU one search of a row took, from /proc: the app's (gunicorn's workers) and the
    database's (every PostgreSQL process; nothing else may use the database meanwhile)."""

    label: str
    app_ms: float
    database_ms: float


def run(url: str, duration: int, headers: dict[str, str]) -> tuple[list[Measurement], list[Cost]]:
    rows, costs = [], []
    # wrk sends every search from one address and one account: the limits ("search") would
    # answer 429 after the first 60 or 120 of a minute; what is measured is the search itself.
    # Connections kept for the whole run: a PostgreSQL process that ends (at the app's
    # reconnection after DATABASE_CONN_MAX_AGE) would take its CPU time out of the count.
    env = {"RATE_LIMIT_SEARCH": "-,-", "DATABASE_CONN_MAX_AGE": "3600"}
    with AppServer(database_url=url, env=env) as server:
        app = [server.process.pid, *children(server.process.pid)]

        def row(label: str, requests: list[str]) -> Measurement:
            print(f"  {label} …", file=sys.stderr, flush=True)
            app_before, database_before = cpu_seconds(app), cpu_by_pid(postgres_pids())
            measured = measure(
                server.base_url,
                requests[0],
                duration=duration,
                headers=headers,
                lua=cycling(requests),
            )
            app_seconds = cpu_seconds(app) - app_before
            database_seconds = cpu_between(database_before, cpu_by_pid(postgres_pids()))
            count = max(measured.requests, 1)
            costs.append(Cost(label, app_seconds / count * 1000, database_seconds / count * 1000))
            return Measurement(**{**measured.__dict__, "path": label})

        warm_up(server.base_url, [HEALTHZ])
        for _label, (base, extra) in KINDS.items():
            warm_up(server.base_url, paths(base, extra), rounds=2, headers=headers)
        rows.append(measure(server.base_url, HEALTHZ, duration=duration))
        for label, (base, extra) in KINDS.items():
            rows.append(row(f"{label} ({len(QUERIES)} queries)", paths(base, extra)))
        for label in NEW_EVERY_TIME:
            base, extra = KINDS[label]
            rows.append(row(f"{label} (every query new)", paths(base, extra, distinct=True)))
        rows.append(measure(server.base_url, HEALTHZ, duration=duration))
    return rows, costs


def cost_table(costs: list[Cost]) -> str:
    lines = [
        "| row | app CPU per search (ms) | PostgreSQL CPU per search (ms) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {c.label} | {c.app_ms:.1f} | {c.database_ms:.1f} |" for c in costs]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgres", help="postgres, sqlite or a URL")
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per row (default 10)")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument(
        "--no-fill", action="store_true", help="measure the database an earlier run filled"
    )
    parser.add_argument(
        "--visitor",
        choices=["anonymous", "logged-in"],
        default="anonymous",
        help="search as a visitor (default) or as the demo town's resident, logged in",
    )
    args = parser.parse_args(argv)

    ensure_wrk()
    url = {"postgres": POSTGRES, "sqlite": SQLITE}.get(args.database, args.database)
    started = dt.datetime.now(dt.UTC)
    if not args.no_fill:
        print(f"Preparing {url} …", file=sys.stderr, flush=True)
        prepare_filled_town(url, HERE / "search" / "fill.py", args.ideas, args.comments)
    label = database_label(url)
    print(f"Measuring on {label} …", file=sys.stderr, flush=True)
    logged_in = args.visitor == "logged-in"
    rows, costs = run(url, args.duration, {"Cookie": session_cookie(url)} if logged_in else {})
    health = [row for row in rows if row.path == HEALTHZ]
    searches = [row for row in rows if row.path != HEALTHZ]
    worst = max(row.p99_ms for row in searches if "every query new" not in row.path)
    worst_new = max(row.p99_ms for row in searches if "every query new" in row.path)
    base = sum(row.requests_per_s for row in health) / len(health)
    redis = "REDIS_URL=… " if os.environ.get("REDIS_URL") else ""  # cache and rate limits there
    section = "\n\n".join(
        [
            f"## Search: {args.ideas:,} ideas and {args.comments:,} comments ({label})",
            f"Run {started:%Y-%m-%d %H:%M} UTC with `{redis}python bench/search_load.py --ideas "
            f"{args.ideas} --comments {args.comments} --database {args.database}"
            f"{' --visitor logged-in' if logged_in else ''}` on "
            f"{machine()}; gunicorn with 2 sync workers, wrk with 16 connections, "
            f"{args.duration} s per row, "
            f"{'logged in as a resident' if logged_in else 'anonymous'}. Each search row "
            "cycles through "
            f"{len(QUERIES)} queries (bench/search_load.py's QUERIES).",
            format_table(rows, title=label),
            cost_table(costs),
            f"Worst p99 of the searches: {worst:.0f} ms with the {len(QUERIES)} queries "
            f"({'meets' if worst < TARGET_P99_MS else 'misses'} the target of "
            f"{TARGET_P99_MS} ms), {worst_new:.0f} ms with every query new "
            f"({'meets' if worst_new < TARGET_P99_MS else 'misses'} it); their throughput "
            f"{min(row.requests_per_s for row in searches) / base:.0%} to "
            f"{max(row.requests_per_s for row in searches) / base:.0%} of /healthz's.",
        ]
    )
    print(section)
    if args.record:
        record(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

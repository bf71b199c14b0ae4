"""The department inbox and the response times of a busy town, for a logged-in staff member.

    python bench/inbox_load.py                       # SQLite and PostgreSQL
    python bench/inbox_load.py --database postgres --duration 5
    python bench/inbox_load.py --sizes 20 5000 2000  # a smaller town
    python bench/inbox_load.py --record              # append the tables to bench/RESULTS.md

For each database: a fresh database with the demo town, filled by bench/inbox/fill.py with 200
projects, 50,000 ideas and 20,000 official answers over eighteen months; then gunicorn with two
workers. The staff member of two of the five departments (verwaltung@musterstadt.example) logs
in through the log-in form, and wrk loads, with that session cookie, the inbox (first page, a
deep page, overdue only), the response times, the participation charter (whose answer promise
reads the response times' figures), and /healthz as the baseline (with the same
cookie). Target: each page at least 25 % of /healthz's throughput.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app_server import AppServer, local_only
from bench_env import (
    POSTGRES_URL,
    SQLITE_URL,
    database_label,
    machine,
    prepare_filled_town,
    record,
)
from http_load import ensure_wrk, format_table, measure_paths

from koproduktion.demo.data import DEMO_PASSWORD

SIZES = (200, 50_000, 20_000)
STAFF = "verwaltung@musterstadt.example"
PATHS = [
    "/musterstadt/posteingang/",
    "/musterstadt/posteingang/?seite=200",
    "/musterstadt/posteingang/?ueberfaellig=1",
    "/musterstadt/antwortzeiten/",
    "/musterstadt/leitlinien/",
]
SECTION = (
    "## Department inbox, response times and charter (200 projects, 50,000 ideas, 20,000 answers)"
)
TARGET = 0.25


def prepare(database_url: str, sizes: tuple[int, int, int]) -> None:
    prepare_filled_town(database_url, HERE / "inbox" / "fill.py", *sizes)


def session_cookie(base_url: str, email: str) -> str:
    """Log in through the site's form, as a browser does; the ``Cookie`` header of the session."""
    local_only(base_url)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = base_url + "/konto/anmelden/"
    with opener.open(login, timeout=10) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})  # noqa: S310 - 127.0.0.1 only
    with opener.open(request, timeout=10):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"Logging in as {email} gave no session.")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", help="sqlite, postgres or a DATABASE_URL")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument(
        "--sizes", type=int, nargs=3, default=SIZES, metavar=("PROJECTS", "IDEAS", "ANSWERS")
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)

    ensure_wrk()
    databases = {"sqlite": SQLITE_URL, "postgres": POSTGRES_URL}
    urls = [databases.get(choice, choice) for choice in args.database or ["sqlite", "postgres"]]
    started = dt.datetime.now(dt.UTC)
    tables, verdicts = [], []
    for url in urls:
        print(f"Preparing {url} …", file=sys.stderr, flush=True)
        prepare(url, tuple(args.sizes))
        label = database_label(url)
        print(f"Measuring on {label} …", file=sys.stderr, flush=True)
        with AppServer(database_url=url) as server:
            cookie = session_cookie(server.base_url, STAFF)
            rows = measure_paths(
                server.base_url, PATHS, duration=args.duration, headers={"Cookie": cookie}
            )
        tables.append(format_table(rows, title=label))
        health = [row.requests_per_s for row in rows if row.path == "/healthz"]
        base = sum(health) / len(health)
        worst = min(row.requests_per_s / base for row in rows if row.path != "/healthz")
        verdicts.append(
            f"{label}: the slowest page at {worst:.0%} of /healthz "
            f"({'meets' if worst >= TARGET else 'misses'} the target of {TARGET:.0%})."
        )

    section = "\n\n".join(
        [
            SECTION,
            f"Run {started:%Y-%m-%d %H:%M} UTC with `python bench/inbox_load.py` on {machine()}; "
            f"gunicorn with 2 sync workers, wrk with 16 connections, {args.duration} s per URL. "
            f"{args.sizes[0]:,} projects, {args.sizes[1]:,} ideas and {args.sizes[2]:,} official "
            "answers in Musterstadt; every request (the /healthz baseline too) carries the "
            f"session of {STAFF} (staff of two of the five departments), so each page is "
            "served as a logged-in person gets it: not from the visitors' page cache; the "
            "inbox's list, the response times and the charter from the shared cache of rendered "
            "pages "
            "after the first request (`routing/versions.py`), the header, session and "
            "permissions afresh.",
            *tables,
            " ".join(verdicts),
        ]
    )
    print(section)
    if args.record:
        record(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""HTTP load benchmark: the app under gunicorn, loaded with wrk, measured against /healthz.

    python bench/http_load.py                       # the demo town on SQLite and on PostgreSQL
    python bench/http_load.py --database sqlite     # only one of them (or a DATABASE_URL)
    python bench/http_load.py --duration 5 --path / --path /musterstadt/
    python bench/http_load.py --record              # also appends the table to bench/RESULTS.md

For every database the command creates a fresh database (SQLite: bench/out/http_load.sqlite3;
PostgreSQL: kp_bench on 127.0.0.1, dropped and created again), migrates it and seeds the demo
town (``manage.py seed_demo``), starts gunicorn with two sync workers (``koproduktion.wsgi``) on a
free port of 127.0.0.1, waits for /healthz, and loads each URL with wrk: 16 connections for a
fixed time each. /healthz is measured in the same run, before and after the pages; the mean of
the two is the baseline every page is compared with, so the ratio stays meaningful on a shared,
noisy machine. Everything is bounded in time, and nothing but 127.0.0.1 is ever loaded.

wrk (Debian package ``wrk``) is installed by bench/setup.sh when it is missing.

As a library, for later benchmarks that prepare their own data::

    from app_server import AppServer
    from http_load import measure_paths, format_table

    with AppServer(database_url=url) as server:
        rows = measure_paths(server.base_url, ["/musterstadt/"], duration=10)
    print(format_table(rows))
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from app_server import HEALTHZ, WORKERS, AppServer, local_only
from bench_env import (
    PYTHON,
    database_label,
    database_url,
    machine,
    prepare_demo_town,
    record,
)

HERE = Path(__file__).resolve().parent
CONNECTIONS = 16
THREADS = 2  # wrk's own threads; two cores here, and wrk needs little
SECTION = "## Pages of the demo town"
NOISY = 1.3  # /healthz before and after differing more than this marks a busy machine


# The existing pages of the demo town, and the public API beside them.
DEMO_PATHS = [
    "/",
    "/musterstadt/",
    "/musterstadt/?phase=dialogue",
    "/musterstadt/quartiere/altstadt/",
    "/musterstadt/vorhaben/fahrradstrasse-hafenallee/",
    "/musterstadt/vorhaben/fahrradstrasse-hafenallee/meinungsbild/ergebnis/",
    "/api/v1/municipalities",
    "/api/v1/municipalities/musterstadt/projects",
    "/api/v1/municipalities/musterstadt/projects/fahrradstrasse-hafenallee/ideas",
    "/api/v1/municipalities/musterstadt/projects/fahrradstrasse-hafenallee/opinion-map",
]

# wrk calls done() once at the end; it prints one line of JSON that measure() reads.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class Measurement:
    path: str
    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors, timeouts and answers >= 400


def ensure_wrk() -> str:
    """The path of wrk; installs it with bench/setup.sh when it is missing."""
    wrk = shutil.which("wrk")
    if wrk is None:
        subprocess.run(["sh", str(HERE / "setup.sh")], check=True, timeout=600)
        wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed and bench/setup.sh could not install it.")
    return wrk


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def warm_up(
    base_url: str, paths: list[str], *, rounds: int = 10, headers: dict[str, str] | None = None
) -> None:
    """Request every page a few times (templates compiled, connections open) and insist on 200.

    wrk does not follow redirects, so a page answering 302 would measure the redirect (a page
    for logged-in people answers 302 to the log-in when the session cookie is not accepted).
    """
    opener = urllib.request.build_opener(_NoRedirect)
    for path in paths:
        url = base_url + path
        local_only(url)
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - 127.0.0.1 only
        for _ in range(rounds):
            try:
                with opener.open(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                raise RuntimeError(f"{path} answers {status}, not 200; it cannot be measured.")


def measure(
    base_url: str,
    path: str,
    *,
    duration: int = 10,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    headers: dict[str, str] | None = None,
    lua: str = "",
) -> Measurement:
    """Load ``base_url + path`` with wrk for ``duration`` seconds; requests/s and latencies.

    ``headers`` go with every request (a session cookie measures a logged-in person). ``lua``
    goes before the script's summary: a ``request`` function there varies the requests (the
    search benchmark cycles through its queries so); ``path`` then only labels the row.
    """
    url = base_url + path
    local_only(url)
    extra = [
        arg for name, value in (headers or {}).items() for arg in ("--header", f"{name}: {value}")
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua + WRK_SCRIPT)
        script.flush()
        result = subprocess.run(
            [
                ensure_wrk(),
                "--threads",
                str(threads),
                "--connections",
                str(connections),
                "--duration",
                f"{duration}s",
                "--timeout",
                "10s",
                "--header",
                "Accept-Language: de",
                *extra,
                "--script",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 60,
        )
    line = next((line for line in result.stdout.splitlines() if line.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary for {url}:\n{result.stdout}{result.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    seconds = data["duration_us"] / 1e6
    return Measurement(
        path=path,
        requests=data["requests"],
        seconds=seconds,
        requests_per_s=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=sum(data[key] for key in ("connect", "read", "write", "status", "timeout")),
    )


def measure_paths(
    base_url: str,
    paths: list[str],
    *,
    duration: int = 10,
    connections: int = CONNECTIONS,
    progress: bool = True,
    headers: dict[str, str] | None = None,
) -> list[Measurement]:
    """/healthz, then each path, then /healthz again; the first and last rows are the baseline.

    Every path must answer 200 (checked first); then one second of unrecorded load per path.
    ``headers`` go with the paths' requests (not with /healthz's, which needs none).
    """
    warm_up(base_url, [HEALTHZ])
    warm_up(base_url, paths, headers=headers)
    # A short unrecorded load first, so that both workers are busy and warm before the baseline.
    for path in [HEALTHZ, *paths]:
        extra = None if path == HEALTHZ else headers
        measure(base_url, path, duration=1, connections=connections, headers=extra)
    rows = []
    for path in [HEALTHZ, *paths, HEALTHZ]:
        if progress:
            print(f"  {path} …", file=sys.stderr, flush=True)
        rows.append(
            measure(
                base_url,
                path,
                duration=duration,
                connections=connections,
                headers=None if path == HEALTHZ else headers,
            )
        )
    return rows


def baseline(rows: list[Measurement]) -> float:
    """Mean requests/s of the /healthz rows."""
    health = [row.requests_per_s for row in rows if row.path == HEALTHZ]
    return sum(health) / len(health)


def format_table(rows: list[Measurement], *, title: str | None = None) -> str:
    """A Markdown table; each URL's throughput also as a share of /healthz's."""
    base = baseline(rows)
    lines = []
    if title:
        lines += [f"### {title}", ""]
    lines += [
        "| URL | requests/s | ÷ /healthz | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    healthz_seen = 0
    for row in rows:
        label = row.path
        if row.path == HEALTHZ:
            healthz_seen += 1
            label = f"{HEALTHZ} ({'before' if healthz_seen == 1 else 'after'})"
        lines.append(
            f"| `{label}` | {row.requests_per_s:,.0f} | {row.requests_per_s / base:.0%} "
            f"| {row.p50_ms:.1f} | {row.p90_ms:.1f} | {row.p99_ms:.1f} | {row.max_ms:.0f} "
            f"| {row.errors} |"
        )
    health = [row.requests_per_s for row in rows if row.path == HEALTHZ]
    if min(health) and max(health) / min(health) > NOISY:
        lines += [
            "",
            f"/healthz moved from {health[0]:,.0f} to {health[-1]:,.0f} requests/s during the "
            "run: the machine was busy with other work, so these ratios are rough.",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        action="append",
        help="sqlite, postgres or a DATABASE_URL (repeatable; default: sqlite and postgres)",
    )
    parser.add_argument("--path", action="append", help="a path to load (repeatable)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument(
        "--no-seed",
        action="store_true",
        help="use the database as it is (no drop, migrate, or seed)",
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)

    ensure_wrk()
    paths = args.path or DEMO_PATHS
    databases = [database_url(choice) for choice in args.database or ["sqlite", "postgres"]]
    started = dt.datetime.now(dt.UTC)
    tables = []
    for url in databases:
        if not args.no_seed:
            print(f"Preparing the demo town in {url} …", file=sys.stderr, flush=True)
            prepare_demo_town(url)
        label = database_label(url)
        print(f"Measuring on {label} …", file=sys.stderr, flush=True)
        with AppServer(database_url=url) as server:
            rows = measure_paths(
                server.base_url, paths, duration=args.duration, connections=args.connections
            )
        tables.append(format_table(rows, title=label))

    gunicorn_version = subprocess.run(
        [PYTHON, "-m", "gunicorn", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    wrk_version = subprocess.run(
        [ensure_wrk(), "--version"], capture_output=True, text=True, check=False
    ).stdout.split(" [")[0]
    section = "\n\n".join(
        [
            SECTION,
            f"Run {started:%Y-%m-%d %H:%M} UTC with `python bench/http_load.py` on {machine()}; "
            f"{gunicorn_version} with {WORKERS} sync workers, {wrk_version}, "
            f"{args.connections} connections, {args.duration} s per URL, all on 127.0.0.1.",
            "Anonymous GET requests with `Accept-Language: de`; the demo town freshly migrated and "
            "seeded. `/healthz` (one `SELECT 1`) is measured before and after the pages; the "
            "ratio compares each URL with the mean of the two. wrk and the app share the two "
            "cores, so the absolute figures are low; the ratio is the figure to compare.",
            *tables,
        ]
    )
    print(section)
    if args.record:
        record(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What one rate-limit check costs on each store the settings can choose.

    .venv/bin/python bench/ratelimit_check.py            # all stores
    .venv/bin/python bench/ratelimit_check.py --record   # append the table to RESULTS.md

One ``check_rate`` for a logged-in person counts twice (the account and the address). Each store
runs in a process of its own with the settings it would have: the database without REDIS_URL
(an SQLite file, and PostgreSQL ``kp_bench_ratelimit``, created afresh), Redis with it, and the
local memory of one process (the old default) for comparison. The time is the median of five
rounds of 1,000 checks, after 200 unmeasured ones; the limit is never reached. Each
is measured alone (the check commits its counts) and inside a transaction that commits anyway, as
in the services.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench_env import OUT, PYTHON, ROOT, database_label, fresh_database, machine, record

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/kp_bench_ratelimit"
REDIS_URL = "redis://127.0.0.1:6379/14"
STORES = {
    "local memory (one process)": ("locmem", f"sqlite:///{OUT / 'ratelimit.sqlite3'}"),
    "database: SQLite": ("database", f"sqlite:///{OUT / 'ratelimit.sqlite3'}"),
    "database: PostgreSQL": ("database", POSTGRES_URL),
    "Redis": ("redis", f"sqlite:///{OUT / 'ratelimit.sqlite3'}"),
}
ROUNDS, PER_ROUND, WARM_UP = 5, 1000, 200


def child(store: str) -> None:
    import django  # noqa: PLC0415 - the parent runs without Django

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.core.cache import caches  # noqa: PLC0415
    from django.db import connection, transaction  # noqa: PLC0415

    from koproduktion.core.models import RateCounter  # noqa: PLC0415
    from koproduktion.core.ratelimit import check_rate  # noqa: PLC0415

    if store == "database":
        with connection.schema_editor() as editor:
            editor.create_model(RateCounter)
    if store == "locmem":
        settings.CACHES = {
            **settings.CACHES,
            "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    caches["ratelimit"].clear()
    settings.RATE_LIMITS = {"comment": ("1000000/h", "1000000/h")}

    class Person:
        is_authenticated = True
        pk = 1

    def rounds(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            check_rate(action="comment", user=Person, ip="198.51.100.7")
        return (time.perf_counter() - start) / count

    def in_transaction(count: int) -> float:
        with transaction.atomic():
            return rounds(count)

    rounds(WARM_UP)
    alone = statistics.median(rounds(PER_ROUND) for _ in range(ROUNDS))
    inside = statistics.median(in_transaction(PER_ROUND) for _ in range(ROUNDS))
    print(alone * 1e6, inside * 1e6)


def measure(store: str, database_url: str) -> tuple[float, float]:
    fresh_database(database_url)
    env = {
        "DJANGO_SETTINGS_MODULE": "koproduktion.settings",
        "DATABASE_URL": database_url,
        "PATH": "/usr/bin:/bin",
    }
    if store == "redis":
        env["REDIS_URL"] = REDIS_URL
    done = subprocess.run(
        [PYTHON, __file__, "--child", store],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    alone, inside = done.stdout.strip().splitlines()[-1].split()
    return float(alone), float(inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    OUT.mkdir(exist_ok=True)
    rows = []
    for label, (store, url) in STORES.items():
        alone, inside = measure(store, url)
        name = label.replace("PostgreSQL", database_label(url)) if "Postgre" in label else label
        rows.append(f"| {name} | {alone:,.0f} | {inside:,.0f} |")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            "## Rate limits: the cost of one check",
            "",
            f"Run {when} with `python bench/ratelimit_check.py` on {machine()}. One "
            "`check_rate` of a logged-in person (two counters: account and address), median of "
            f"{ROUNDS} rounds of {PER_ROUND:,}, one process, nothing else waiting on the store. "
            "Alone: the check commits its own counts (a log-in attempt); inside: within a "
            "transaction that commits anyway (the services count in theirs), so the commit is "
            "not the check's.",
            "",
            "| store | µs per check, alone | µs per check, inside the caller's transaction |",
            "|---|---:|---:|",
            *rows,
        ]
    )
    print(section)
    if args.record:
        record(section)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

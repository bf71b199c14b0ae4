"""Participatory-budget results at scale: 40,000 voters, 400,000 ballot lines.

    python bench/budget_results.py                  # PostgreSQL and SQLite
    python bench/budget_results.py --database postgres --record

For each database: a fresh, migrated database, a budget poll with 200 proposals filled with
40,000 ballots of 10 lines each (popularity skewed as in real budgets), then the median time of
computing the full results (votes per proposal, ranking, the funding line) next to two baselines
measured in the same run: one database round trip, and one plain scan of all the poll's lines.
Target: results in under 200 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_env import (
    POSTGRES_URL,
    SQLITE_URL,
    fresh_database,
    machine,
    manage,
    record,
    server_environment,
)

SECTION = "## Budget results (40,000 voters, 400,000 ballot lines)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", help="postgres, sqlite or a DATABASE_URL")
    parser.add_argument("--voters", type=int, default=40_000)
    parser.add_argument("--lines", type=int, default=10, help="lines per ballot")
    parser.add_argument("--options", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for choice in args.database or ["postgres", "sqlite"]:
        url = {"sqlite": SQLITE_URL.replace("http_load", "budget"), "postgres": POSTGRES_URL}.get(
            choice, choice
        )
        print(f"{choice}: preparing …", file=sys.stderr)
        fresh_database(url)
        manage("migrate", "--noinput", database_url=url)
        result = subprocess.run(
            [
                sys.executable,
                str(HERE / "budget" / "run.py"),
                str(args.voters),
                str(args.lines),
                str(args.options),
                str(args.repeat),
            ],
            env=server_environment(url),
            check=True,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
    lines = [
        "| database | ballots | lines | round trip (ms) | plain scan (ms) | results (ms) | results ÷ scan | funded |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['vendor']} | {r['voters']:,} | {r['lines']:,} | {r['round_trip_ms']} | {r['scan_ms']} | "
            f"**{r['results_ms']}** | {r['results_ms'] / r['scan_ms']:.1f}× | {r['funded']} |"
        )
        if not r["reproducible"]:
            raise SystemExit("results differ between two computations of the same ballots")
    table = "\n".join(lines)
    print(table)
    if args.record:
        record(
            f"{SECTION}\n\n{dt.date.today().isoformat()}, {machine()}, {args.options} proposals, median of "
            f"{args.repeat} runs; results = votes per proposal, ranking and funding line, from the stored "
            f"ballots.\n\n{table}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

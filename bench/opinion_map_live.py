"""Benchmark: a large opinion map taking votes live, computed in the background, on PostgreSQL.

    python bench/opinion_map_live.py                      # 50,000 × 1,000, 200 votes/s, 60 s
    python bench/opinion_map_live.py --participants 5000 --statements 200 --duration 10
    python bench/opinion_map_live.py --record             # also append the figures to RESULTS.md

A fresh database ``kp_bench_opinion_live`` with the demo town, then ``opinion_map/live_fill.py``
adds a published project whose map has --participants × --statements (each participant with
--votes-each distinct votes: 2,000,000 with the defaults) and computes it once, timing the
computation alone. Then gunicorn (--workers sync workers) and one task worker (``db_worker``,
the database queue, as ``make run`` and production run it) serve the app, and --clients threads
send new votes through the API at --rate per second in all, on a fixed schedule (open loop: a
slow answer does not slow the schedule), for --warmup seconds and then --duration seconds
measured. Each vote is a new (person, statement) pair of the voters the fill made.

Measured: the latency of every vote request (p50/p90/p99/max, over the measured seconds, from
sending to the whole answer); votes lost (answered 200 but not in the database, counted after
the worker is stopped); the freshness of the results: a visitor reloads the results page every
half second, and the computation time it shows (its ``<time datetime>``, the moment the votes
were read) is compared with the newest vote answered before the question — the results must
never be more than 15 s behind. (Until 2026-12-04 it asked the API's opinion map instead, whose
list of every participant's position, 3.9 MB at 50,000, took 1.5 s of a worker to render after
each computation: most of the app server's CPU in this benchmark. The page draws clusters.) the computations the
worker ran (from the queue's own rows); the worker's peak memory (VmHWM); the CPU time of each
process group during the measured seconds and the machine's load, since the machine is shared.
Also, to tell where slow votes come from: the measured votes sent while a computation ran and
the others, and the second at which the backlog of the start was over. Every voter's first
vote comes in the first 12.5 s (2,500 voters at 200 a second) and costs more than the later
ones (the person's participant and act are made, their roles read); a backlog built then can
last into the measured seconds.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app_server import AppServer, children, local_only
from bench_env import (
    HOST,
    PYTHON,
    ROOT,
    database_label,
    fresh_database,
    machine,
    manage,
    percentile,
    record,
    server_environment,
)
from opinion_map_clients import (
    Run,
    Vote,
    by_computation,
    freshness_poller,
    start_over,
    vote_client,
)
from process_stats import (
    cpu_between,
    cpu_by_pid,
    cpu_seconds,
    machine_busy,
    peak_rss_mb,
    postgres_pids,
)

URL = f"postgres://postgres@{HOST}:5432/kp_bench_opinion_live"
SECTION = "## Opinion map under live votes (PostgreSQL)"
FRESHNESS_LIMIT = 15.0  # seconds
P99_LIMIT = 50.0  # milliseconds
MEMORY_LIMIT = 1024  # MB
# How the task worker runs beside the app servers: the command put before it.
WORKER_PRIORITIES = {
    "idle": ["chrt", "--idle", "0"],
    "nice": ["nice", "-n", "10"],
    "normal": [],
}
CACHE_NAME = {
    True: "the page cache, sessions and rate limits in Redis (`REDIS_URL`, as in production)",
    False: "without Redis: each process's own page cache, rate limits in the database",
}
WORKER_PRIORITY_NAMES = {
    "idle": "as SCHED_IDLE (`chrt --idle 0`: only on time no request wants)",
    "nice": "at niceness 10",
    "normal": "as the app servers",
}


def _fill(args: argparse.Namespace) -> dict:
    fresh_database(URL)
    manage("migrate", "--noinput", database_url=URL)
    manage("seed_demo", database_url=URL)
    result = subprocess.run(
        [
            PYTHON,
            str(HERE / "opinion_map" / "live_fill.py"),
            "fill",
            str(args.participants),
            str(args.statements),
            str(args.votes_each),
            str(args.voters),
        ],
        cwd=ROOT,
        env=server_environment(URL),
        check=True,
        timeout=3600,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _count_votes() -> int:
    result = subprocess.run(
        [PYTHON, str(HERE / "opinion_map" / "live_fill.py"), "count"],
        cwd=ROOT,
        env=server_environment(URL),
        check=True,
        timeout=600,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])["votes"]


def _computations(since: dt.datetime) -> list[tuple[float, float]]:
    """(start, seconds) of each computation the worker ran, from the queue's own rows."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(URL) as conn:
        rows = conn.execute(
            "SELECT started_at, finished_at FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s AND finished_at IS NOT NULL AND started_at >= %s "
            "ORDER BY started_at",
            ("%compute_opinion_map", since),
        ).fetchall()
    return [(start.timestamp(), (end - start).total_seconds()) for start, end in rows]


def _plan(args: argparse.Namespace, filled: dict, start: float) -> list[list]:
    """Who votes on what and when: a new (person, statement) pair each time."""
    import random  # noqa: PLC0415

    rng = random.Random(20261203)
    sessions, statements = filled["sessions"], filled["statements"]
    total = int(args.rate * (args.warmup + args.duration))
    per_person = -(-total // len(sessions))
    choices = {s: rng.sample(statements, per_person) for s in range(len(sessions))}
    plans: list[list] = [[] for _ in range(args.clients)]
    for k in range(total):
        person = k % len(sessions)
        vote = Vote(scheduled=start + k / args.rate, measured=k >= args.rate * args.warmup)
        statement = choices[person][k // len(sessions)]
        plans[k % args.clients].append((k, vote, sessions[person], statement))
    return plans


def main() -> None:  # noqa: PLR0915 - one run from start to report
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--votes-each", type=int, default=40)
    parser.add_argument("--voters", type=int, default=2_500)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--worker-priority",
        choices=sorted(WORKER_PRIORITIES),
        default="idle",
        help="how the task worker is scheduled beside the app servers: idle (SCHED_IDLE, as "
        "make run and docs/deploy.md run it), nice (niceness 10, as until 2026-12-04) or normal",
    )
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    print("filling the database …", file=sys.stderr)
    filled = _fill(args)
    alone = filled["alone"]
    print(f"  computation alone: {alone}", file=sys.stderr)
    env = {"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    worker = subprocess.Popen(
        [
            *WORKER_PRIORITIES[args.worker_priority],
            PYTHON,
            str(ROOT / "manage.py"),
            "db_worker",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=server_environment(URL, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    run = Run()
    try:
        with AppServer(database_url=URL, workers=args.workers, env=env) as server:
            local_only(server.base_url)
            gunicorn_pids = [server.process.pid, *children(server.process.pid)]
            begin = dt.datetime.now(tz=dt.UTC)
            start = time.monotonic() + 1.0
            plans = _plan(args, filled, start)
            run.votes = [vote for plan in plans for _k, vote, _s, _st in plan]
            clients = [
                threading.Thread(target=vote_client, args=(server.base_url, run, plan))
                for plan in plans
            ]
            poller = threading.Thread(target=freshness_poller, args=(server.base_url, run))
            poller.start()
            for client in clients:
                client.start()
            time.sleep(max(0.0, start + args.warmup - time.monotonic()))
            measured_from = time.time()
            cpu_before = {
                "gunicorn": cpu_seconds(gunicorn_pids),
                "worker": cpu_seconds([worker.pid]),
                "load": time.process_time(),
            }
            postgres_before = cpu_by_pid(postgres_pids())
            busy_before = machine_busy()
            load_during = []
            while any(client.is_alive() for client in clients):
                load_during.append(float(Path("/proc/loadavg").read_text().split()[0]))
                until = time.monotonic() + 5
                for client in clients:
                    client.join(timeout=max(0.0, until - time.monotonic()))
            measured_until = time.time()
            cpu_after = {
                "gunicorn": cpu_seconds(gunicorn_pids),
                "worker": cpu_seconds([worker.pid]),
                "load": time.process_time(),
            }
            cpu_after["postgres"] = cpu_between(postgres_before, cpu_by_pid(postgres_pids()))
            cpu_before["postgres"] = 0.0
            busy_after = machine_busy()
            # Let the last votes be computed, then stop asking.
            time.sleep(15)
            run.stop.set()
            poller.join()
            worker_peak = peak_rss_mb(worker.pid)
            server_log = server.log()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    stored = _count_votes()
    computations = _computations(begin)

    measured = [v for v in run.votes if v.measured]
    latencies = sorted(v.latency_ms for v in measured if v.status == 200)
    ok = [v for v in run.votes if v.status == 200]
    errors = len(run.votes) - len(ok)
    statuses = Counter(v.status for v in run.votes if v.status != 200)
    late = sum(1 for v in measured if v.sent - v.scheduled > 0.05)
    lost = len(ok) - stored
    # Freshness: at each answer, the newest vote answered before the question, against the
    # time the shown computation read its votes. Over the measured seconds.
    answered = sorted(v.wall_done for v in ok)
    lags = []
    for sample in run.samples:
        if not measured_from <= sample.asked <= measured_until or sample.computed_at is None:
            continue
        i = bisect.bisect_left(answered, sample.asked)
        if i:
            lags.append(max(0.0, answered[i - 1] - sample.computed_at))
    seconds = measured_until - measured_from
    busy = (busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1)
    cpu = {k: (cpu_after[k] - cpu_before[k]) / seconds for k in cpu_before}
    in_run = [c for c in computations if measured_from <= c[0] <= measured_until]
    durations = sorted(d for _s, d in in_run)
    figures = {
        "requests": len(run.votes),
        "measured": len(measured),
        "rate": len(measured) / args.duration,
        "p50": percentile(latencies, 0.5),
        "p90": percentile(latencies, 0.9),
        "p99": percentile(latencies, 0.99),
        "max": latencies[-1] if latencies else float("nan"),
        "errors": errors,
        "statuses": dict(statuses),
        "late": late,
        "lost": lost,
        "stored": stored,
        "freshness_max": max(lags) if lags else float("nan"),
        "freshness_samples": len(lags),
        "computations": len(in_run),
        "computation_median": percentile(durations, 0.5),
        "computation_max": durations[-1] if durations else float("nan"),
        "worker_peak_mb": worker_peak,
        "cpu": cpu,
        "machine_busy": busy,
        "load_before": load_before,
        "load_during": load_during,
        "alone": alone,
        "votes_in_map": filled["votes"],
        "by_computation": by_computation([v for v in measured if v.status == 200], computations),
        "start_over": start_over(ok),
    }
    text = report(args, figures)
    if errors:
        # What the server said about the failed votes, so they can be understood.
        tail = [line for line in server_log.splitlines() if "Error" in line or "error" in line]
        print("server errors (last 40 lines):", *tail[-40:], sep="\n", file=sys.stderr)
    print(text)
    if args.record:
        record(text)


def report(args: argparse.Namespace, f: dict) -> str:
    when = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    passed = {
        "p99": f["p99"] < P99_LIMIT,
        "lost": f["lost"] == 0 and f["errors"] == 0,
        "fresh": f["freshness_max"] <= FRESHNESS_LIMIT,
        "memory": f["worker_peak_mb"] < MEMORY_LIMIT,
    }
    mark = {True: "met", False: "**missed**"}
    cpu = f["cpu"]
    alone = f["alone"]
    phases = "".join(
        f"- {name}: {n:,} votes, p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms\n"
        for name, (n, p50, p90, p99) in f["by_computation"].items()
    )
    start = f["start_over"]
    over = "never" if start is None else f"at second {start:.0f} ({args.warmup:.0f} s are warm-up)"
    return f"""{SECTION}

Run {when} with `python bench/opinion_map_live.py` on {machine()}, {database_label(URL)}.
A map of {args.participants:,} participants × {args.statements:,} statements with
{f["votes_in_map"]:,} votes; {args.clients} clients send new votes through the API at
{args.rate:.0f}/s ({args.warmup:.0f} s warm-up, then {args.duration:.0f} s measured);
gunicorn with {args.workers} sync workers and one `db_worker` (the database queue), scheduled
{WORKER_PRIORITY_NAMES[args.worker_priority]}; {CACHE_NAME[bool(os.environ.get("REDIS_URL"))]}.

| goal | measured | |
|---|---|---|
| vote request p99 < {P99_LIMIT:.0f} ms | p50 {f["p50"]:.1f} ms, p90 {f["p90"]:.1f} ms, p99 {f["p99"]:.1f} ms, max {f["max"]:.0f} ms over {f["measured"]:,} votes ({f["rate"]:.0f}/s; {f["late"]} sent > 50 ms after their time) | {mark[passed["p99"]]} |
| no vote lost | {f["requests"]:,} votes sent, {f["errors"]} answered other than 200 {f["statuses"] or ""}, {f["stored"]:,} stored, {f["lost"]} lost | {mark[passed["lost"]]} |
| results never > {FRESHNESS_LIMIT:.0f} s behind the newest vote | at most {f["freshness_max"]:.1f} s ({f["freshness_samples"]} looks, every 0.5 s); {f["computations"]} computations, median {f["computation_median"]:.1f} s, longest {f["computation_max"]:.1f} s | {mark[passed["fresh"]]} |
| worker's peak memory < 1 GB | {f["worker_peak_mb"]:.0f} MB (VmHWM of the `db_worker` process) | {mark[passed["memory"]]} |

The machine while measuring: {100 * f["machine_busy"]:.0f} % of both cores busy; load average
{" / ".join(f["load_before"])} (1/5/15 min) before, {", ".join(f"{x:.1f}" for x in f["load_during"])}
during. CPU per second of the measured time: gunicorn {cpu["gunicorn"]:.2f} cores, the worker
{cpu["worker"]:.2f}, PostgreSQL {cpu["postgres"]:.2f}, the load's own threads {cpu["load"]:.2f}.
The computation alone, before the load (same machine, nothing else of ours running):
{alone["wall"]:.1f} s wall, {alone["cpu"]:.1f} s CPU (reading the votes {alone["read"]:.1f} s,
the math {alone["math"]:.1f} s, {alone["votes"]:,} votes, {alone["groups"]} groups).

The measured votes by what the worker did when they were sent:
{phases}
The backlog of the start (every voter's first vote, the processes cold) was over
{over} of the load.
"""


if __name__ == "__main__":
    main()

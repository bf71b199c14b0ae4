"""Benchmark: Koproduktion's opinion-map math against red-dwarf 0.4.0, in one run.

    python bench/opinion_map.py            # all workloads, prints a table
    python bench/opinion_map.py --record   # also writes the table into bench/RESULTS.md
    python bench/opinion_map.py --only synthetic-5k --skip-reddwarf

Each pipeline runs in its own subprocess (ours in this interpreter's environment, red-dwarf in
bench/.venv-reddwarf, created on first use by bench/setup_reddwarf.sh). Time is the pipeline
call measured inside the child; peak memory is the child's maximum resident set size from
os.wait4, so both sides are measured the same way (interpreter, imports and input included).
The machine is shared and noisy, so the ratio within one run is the figure to compare.
ARI is against Polis's own group-id for the real conversations, and against the latent groups
the synthetic data were generated from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "opinion_map"))

import workloads

REDDWARF_PYTHON = HERE / ".venv-reddwarf" / "bin" / "python"
TIMEOUT = 600  # seconds per child; keeps the whole run bounded
SECTION = "## Opinion map (Meinungsbild) vs red-dwarf 0.4.0"
WORKLOADS = (*workloads.REAL, *workloads.SYNTHETIC)
REPLAY_HOURS = 1.0
NOTE = (
    "Time: the pipeline call, measured inside each child process (ours includes building the "
    "matrix from the vote rows; red-dwarf gets its vote list ready-made). Peak RSS: that child's "
    "maximum resident set (os.wait4), interpreter and input included. ARI: against Polis's own "
    "group-id (real conversations) or the latent groups the data were generated from (synthetic)."
)


def run_child(command: list[str]) -> dict:
    """Run one pipeline; return its JSON report plus its own peak RSS in MB.

    The child is reaped with os.wait4, which reports the resource usage of exactly that
    child (RUSAGE_CHILDREN would give the maximum over all children so far).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            text=True,
            cwd=HERE.parent,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"error": f"timed out after {TIMEOUT} s"}
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        return {
            "error": stderr.strip().splitlines()[-1]
            if stderr.strip()
            else f"exit {proc.returncode}"
        }
    report = json.loads(stdout.strip().splitlines()[-1])
    report["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return report


def ensure_reddwarf() -> None:
    if (
        not REDDWARF_PYTHON.exists()
        or subprocess.run(
            [str(REDDWARF_PYTHON), "-c", "import reddwarf"], capture_output=True, check=False
        ).returncode
    ):
        subprocess.run(["sh", str(HERE / "setup_reddwarf.sh")], check=True)


def ari_of(name: str, labels_file: Path) -> float | None:
    ref = workloads.load(name)
    got = np.load(labels_file)
    return workloads.ari(ref["label_ids"], ref["labels"], got["ids"], got["labels"])


def run_workload(name: str, skip_reddwarf: bool, tmp: Path) -> list[dict]:
    workloads.path_for(name)  # generate outside the timed children
    ours = tmp / f"ours-{name}.npz"
    rows = []
    row = run_child([sys.executable, str(HERE / "opinion_map" / "run_ours.py"), name, str(ours)])
    row.update(
        workload=name, pipeline="Koproduktion", ari=None if "error" in row else ari_of(name, ours)
    )
    rows.append(row)
    if not skip_reddwarf:
        theirs = tmp / f"reddwarf-{name}.npz"
        row = run_child(
            [str(REDDWARF_PYTHON), str(HERE / "opinion_map" / "run_reddwarf.py"), name, str(theirs)]
        )
        row.update(
            workload=name,
            pipeline="red-dwarf 0.4.0",
            ari=None if "error" in row else ari_of(name, theirs),
        )
        rows.append(row)
    if name in workloads.REAL:
        replay = tmp / f"replay-{name}.npz"
        row = run_child(
            [
                sys.executable,
                str(HERE / "opinion_map" / "run_ours.py"),
                name,
                str(replay),
                str(REPLAY_HOURS),
            ]
        )
        row.update(
            workload=name,
            pipeline="Koproduktion, history replayed hourly",
            ari=None if "error" in row else ari_of(name, replay),
        )
        rows.append(row)
    return rows


def shape(name: str) -> str:
    data = workloads.load(name)
    return f"{len(np.unique(data['participant'])):,} × {len(np.unique(data['statement'])):,}, {len(data['value']):,} votes"


def table(rows: list[dict]) -> str:
    lines = [
        "| workload | pipeline | time (s) | peak RSS (MB) | groups | ARI | red-dwarf ÷ ours (time / memory) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    by_key = {(r["workload"], r["pipeline"]): r for r in rows}
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['workload']} | {r['pipeline']} | – | – | – | – | {r['error']} |")
            continue
        ratio = ""
        theirs = by_key.get((r["workload"], "red-dwarf 0.4.0"))
        if r["pipeline"] == "Koproduktion" and theirs and "error" not in theirs:
            ratio = (
                f"{theirs['seconds'] / r['seconds']:.0f}× / {theirs['peak_mb'] / r['peak_mb']:.1f}×"
            )
        ari = "" if r["ari"] is None else f"{r['ari']:.3f}"
        updates = f" ({r['updates']} updates)" if r.get("updates", 1) > 1 else ""
        lines.append(
            f"| {r['workload']} | {r['pipeline']}{updates} | {r['seconds']:.3f} | {r['peak_mb']:.0f} | "
            f"{r['k']} | {ari} | {ratio} |"
        )
    return "\n".join(lines)


def record(text: str) -> None:
    """Replace (or append) this benchmark's table in bench/RESULTS.md.

    Only the section's text up to its first subsection is replaced; the subsections (results
    through the platform, the replay) are written by hand and stay.
    """
    path = HERE / "RESULTS.md"
    content = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if SECTION in content:
        before, rest = content.split(SECTION, 1)
        ends = [i for i in (rest.find("\n## "), rest.find("\n### ")) if i >= 0]
        after = rest[min(ends) :] if ends else ""
        content = before + text.rstrip() + "\n" + after
    else:
        content = content.rstrip() + "\n\n" + text.rstrip() + "\n"
    path.write_text(content, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=WORKLOADS)
    parser.add_argument("--skip-reddwarf", action="store_true")
    parser.add_argument(
        "--record", action="store_true", help="write the table into bench/RESULTS.md"
    )
    args = parser.parse_args()
    if not args.skip_reddwarf:
        ensure_reddwarf()
    names = args.only or list(WORKLOADS)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            rows.extend(run_workload(name, args.skip_reddwarf, Path(tmp)))
            print(f"done: {name}", file=sys.stderr)
    sizes = "\n".join(f"- {n}: {shape(n)}" for n in names)
    text = (
        f"{SECTION}\n\n"
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python bench/opinion_map.py --record` "
        f"on {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}.\n\n"
        f"{sizes}\n\n{NOTE}\n\n{table(rows)}\n"
    )
    print(text)
    if args.record:
        record(text)


if __name__ == "__main__":
    main()

"""What processes and the machine used while a benchmark ran, read from /proc (Linux).

CPU seconds per process, the processes of PostgreSQL, a process's peak memory and how busy the
cores were; ``app_server.children`` finds a server's workers.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user and system) each of ``pids`` used since it started; ended ones left out."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_pid(pids).values())


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes of ``after`` used since ``before``; one started in between
    counts whole, one that ended in between is not counted (PostgreSQL starts and ends a
    process per connection)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def peak_rss_mb(pid: int) -> float:
    """The most memory ``pid`` held at once (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)

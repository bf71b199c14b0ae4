"""The writes benchmark's report, and how it finds the memory of the server's workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from app_server import children, rss_mib  # noqa: E402
from writes_load import Write, Writing, format_writing  # noqa: E402


def test_the_report_counts_the_comments_and_those_not_shown_at_once():
    writing = Writing(
        writes=[
            Write(302, 40.0, author_saw_it=True, visitor_saw_it=True),
            Write(302, 60.0, author_saw_it=True, visitor_saw_it=False),
            Write(429, 5.0),
        ],
        seconds=2.0,
    )
    report = format_writing(writing, writers=2, interval=1)
    assert "2 comments in 2 s (1.0/s) (1 answered 429)" in report
    assert "to its author 2 of 2, to a visitor asking right after 1 of 2." in report


def test_the_memory_of_each_child_process_is_found():
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # Measured once the interpreter runs: right after the fork its memory is not yet there.
        assert child.stdout.readline().strip() == "ready"
        assert child.pid in children(os.getpid())
        assert 1 < rss_mib(child.pid) < 500
    finally:
        child.kill()
        child.wait()

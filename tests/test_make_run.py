"""``make run`` serves on the port it is given, and the site's links say so."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run_commands(*arguments: str) -> str:
    # -n prints what ``make run`` would do without doing it.
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_links_follow_the_port_make_run_serves_on():
    commands = _run_commands("PORT=8123")
    assert "runserver 127.0.0.1:8123" in commands
    assert re.search(r"SITE_URL=http://127\.0\.0\.1:8123\b", commands)


def test_a_configured_site_url_is_kept():
    commands = _run_commands("PORT=8123", "SITE_URL=https://beteiligung.example")
    assert re.search(r"SITE_URL=https://beteiligung\.example\b", commands)
    assert "SITE_URL=http://127.0.0.1:8123" not in commands

"""The HTTP benchmark harness: its table and its refusal to load anything but 127.0.0.1."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
PATH = BENCH / "http_load.py"
# The benchmark scripts import their neighbours (bench_env) as a script run from bench/ would.
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
spec = importlib.util.spec_from_file_location("http_load", PATH)
http_load = importlib.util.module_from_spec(spec)
sys.modules.setdefault("http_load", http_load)  # dataclasses look their module up there
spec.loader.exec_module(http_load)


def _row(path: str, rps: float) -> object:
    return http_load.Measurement(
        path=path,
        requests=int(rps * 10),
        seconds=10.0,
        requests_per_s=rps,
        p50_ms=4.0,
        p90_ms=6.0,
        p99_ms=9.5,
        max_ms=20.0,
        errors=0,
    )


def test_the_table_compares_each_url_with_the_mean_of_both_healthz_runs():
    rows = [_row("/healthz", 900), _row("/musterstadt/", 500), _row("/healthz", 1100)]
    table = http_load.format_table(rows, title="SQLite")
    assert table.startswith("### SQLite")
    assert "| `/musterstadt/` | 500 | 50% | 4.0 | 6.0 | 9.5 | 20 | 0 |" in table
    assert "`/healthz (before)` | 900 | 90%" in table
    assert "`/healthz (after)` | 1,100 | 110%" in table


@pytest.mark.parametrize(
    "url", ["http://example.org/", "http://10.0.0.1:8000/", "http://localhost/"]
)
def test_only_127_0_0_1_is_loaded(url):
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        http_load.measure(url, "/healthz", duration=1)


def test_a_busy_machine_is_pointed_out():
    rows = [_row("/healthz", 1500), _row("/", 500), _row("/healthz", 500)]
    assert "the machine was busy" in http_load.format_table(rows)
    rows = [_row("/healthz", 1000), _row("/", 500), _row("/healthz", 1100)]
    assert "busy" not in http_load.format_table(rows)

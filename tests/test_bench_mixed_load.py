"""The mixed benchmark's own arithmetic: 429s are no errors, and a lost write is seen."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from mixed.results import Answer, Stats, format_report, lost_writes  # noqa: E402

ROWS = {
    "idea": 2,
    "comment": 1,
    "support": 0,
    "statement_vote": 1,
    "ballot": 1,
    "ballots_stored": 4,
    "participations": 4,
}


def _stats() -> Stats:
    return Stats(
        answers=[
            Answer("write: idea", 201, 30.0, key=7),
            Answer("write: idea", 201, 40.0, key=8),
            Answer("write: idea", 429, 5.0),
            Answer("write: comment", 201, 20.0, key=3),
            Answer("vote: statement", 200, 10.0, key=("s", 1)),
            Answer("vote: statement", 200, 10.0, key=("s", 1)),  # the same answer changed
            Answer("vote: ballot", 201, 50.0, key="s"),
            Answer("read: idea list, visitor", 500, 90.0, detail="Ein Fehler auf dem Server."),
        ],
        seconds=2.0,
    )


def test_every_successful_write_is_found_in_its_table():
    assert lost_writes(_stats(), ROWS) == []


def test_a_write_answered_as_stored_but_missing_is_a_lost_write():
    problems = lost_writes(_stats(), {**ROWS, "comment": 0})
    assert problems == ["write: comment: 1 answered as stored, 0 rows"]
    problems = lost_writes(_stats(), {**ROWS, "ballots_stored": 3})
    assert problems == ["ballots: 4 participations but 3 ballots counted or waiting in the pool"]


def test_the_report_counts_rate_limits_apart_from_errors():
    baseline = Stats(answers=[Answer("baseline: /healthz", 200, 1.0)] * 40, seconds=2.0)
    report = format_report(_stats(), [baseline, baseline], rows=ROWS, title="SQLite")
    assert report.startswith("### SQLite")
    assert "| all of the mix | 4 | 20% |" in report
    assert "| 1 | 1 |" in report  # one error (the 500), one 429
    assert "| write: idea | 3 | 37.5% | 30.0 | 40.0 | 0 | 201: 2, 429: 1 |" in report
    assert "read: idea list, visitor, 500: Ein Fehler auf dem Server. (× 1)" in report
    assert "Lost writes: 0 (none)" in report

"""What a mixed load run measured: the answers, their figures, the lost-writes check, the report.

Kept apart from the load itself (``bench/mixed_load.py``), so the report and the check can be
tested without a server (tests/test_bench_mixed_load.py).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bench_env import percentile

# The kind of each write and the table its successful answers must be found in (people.py).
WRITE_ROWS = {
    "write: idea": "idea",
    "write: comment": "comment",
    "write: support": "support",
    "vote: statement": "statement_vote",
    "vote: ballot": "ballot",
}


@dataclass(frozen=True)
class Answer:
    kind: str
    status: int  # 0: no answer (connection refused or reset, timeout)
    ms: float
    key: object = None  # what a successful write stored (for the lost-writes check)
    detail: str = ""


@dataclass
class Stats:
    answers: list[Answer]
    seconds: float

    def by_kind(self) -> dict[str, list[Answer]]:
        kinds: dict[str, list[Answer]] = defaultdict(list)
        for answer in self.answers:
            kinds[answer.kind].append(answer)
        return kinds

    @property
    def requests_per_s(self) -> float:
        return len(self.answers) / self.seconds if self.seconds else 0.0

    def errors(self) -> list[Answer]:
        """Every answer that is neither 2xx nor 429 (a rate limit is not an error)."""
        return [a for a in self.answers if not (200 <= a.status < 300 or a.status == 429)]


def lost_writes(stats: Stats, rows: dict[str, int]) -> list[str]:
    """Each kind of write whose successful answers the database does not hold, with figures."""
    problems = []
    for kind, table in WRITE_ROWS.items():
        succeeded = {a.key for a in stats.answers if a.kind == kind and 200 <= a.status < 300}
        if len(succeeded) != rows[table]:
            problems.append(f"{kind}: {len(succeeded)} answered as stored, {rows[table]} rows")
    if rows["ballots_stored"] != rows["participations"]:
        problems.append(
            f"ballots: {rows['participations']} participations but {rows['ballots_stored']} "
            "ballots counted or waiting in the pool"
        )
    return problems


# -- the report -----------------------------------------------------------------------------


def _statuses(answers: list[Answer]) -> str:
    counts = Counter(a.status for a in answers)
    return ", ".join(f"{status or 'no answer'}: {n:,}" for status, n in sorted(counts.items()))


def format_report(
    stats: Stats,
    baseline: list[Stats],
    *,
    bursts: Sequence[Stats] = (),
    rows: dict[str, int] | None = None,
    title: str | None = None,
) -> str:
    """The mix against ``/healthz``, each kind of request, the bursts of votes, and the
    lost-writes check of every write made (mix and bursts) against ``rows``."""
    base = statistics.mean(b.requests_per_s for b in baseline)
    lines = [f"### {title}", ""] if title else []
    lines += [
        "| requests | requests/s | ÷ /healthz | p50 (ms) | p99 (ms) | errors | 429 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, each in [
        *[(f"`/healthz` ({w})", b) for w, b in zip(("before", "after"), baseline, strict=False)],
        ("all of the mix", stats),
    ]:
        ms = [a.ms for a in each.answers]
        lines.append(
            f"| {label} | {each.requests_per_s:,.0f} | {each.requests_per_s / base:.0%} "
            f"| {percentile(ms, 0.5):.1f} | {percentile(ms, 0.99):.1f} "
            f"| {len(each.errors()):,} | {sum(a.status == 429 for a in each.answers):,} |"
        )
    lines += [
        "",
        "| kind | requests | share | p50 (ms) | p99 (ms) | errors | answers by status |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    kinds = stats.by_kind()
    for kind in sorted(kinds):
        answers = kinds[kind]
        ms = [a.ms for a in answers]
        errors = sum(not (200 <= a.status < 300 or a.status == 429) for a in answers)
        lines.append(
            f"| {kind} | {len(answers):,} | {len(answers) / len(stats.answers):.1%} "
            f"| {percentile(ms, 0.5):.1f} | {percentile(ms, 0.99):.1f} | {errors:,} "
            f"| {_statuses(answers)} |"
        )
    if bursts:
        lines += [
            "",
            "| everybody voting at once | votes | votes/s | ÷ /healthz | p50 (ms) | p99 (ms) "
            "| errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for burst in bursts:
            ms = [a.ms for a in burst.answers]
            lines.append(
                f"| {burst.answers[0].kind} | {len(burst.answers):,} "
                f"| {burst.requests_per_s:,.0f} | {burst.requests_per_s / base:.0%} "
                f"| {percentile(ms, 0.5):.1f} | {percentile(ms, 0.99):.1f} "
                f"| {len(burst.errors()):,} |"
            )
    everything = Stats(
        answers=[a for each in (stats, *bursts) for a in each.answers], seconds=stats.seconds
    )
    details = Counter(f"{a.kind}, {a.status}: {a.detail}" for a in everything.errors())
    if details:
        lines += ["", "Errors:", ""]
        lines += [f"- {text} (× {n:,})" for text, n in details.most_common(10)]
    if rows is not None:
        problems = lost_writes(everything, rows)
        stored = ", ".join(f"{table} {rows[table]:,}" for table in WRITE_ROWS.values())
        lines += [
            "",
            f"Lost writes: {len(problems)} ({'; '.join(problems) or 'none'}). Rows stored by "
            f"the load: {stored}; ballots counted or waiting: {rows['ballots_stored']:,} for "
            f"{rows['participations']:,} participations.",
        ]
    return "\n".join(lines)


# -- the command ----------------------------------------------------------------------------

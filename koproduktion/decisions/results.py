"""Poll results, computed from the counted ballot lines alone — so they are exactly reproducible.

One aggregate query over the poll's lines (an index-only scan on PostgreSQL), then a little
arithmetic in Python over the options (a few hundred at most). While a poll runs, ballots are
counted in batches (``services.voting.ballot_cast``), so the results say how many still wait;
the results of a closed poll first count every ballot left in the pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from koproduktion.core.csv_export import csv_text

from .models import BallotLine, BallotPool, Poll, PollKind
from .services import ballot_pool_flush


@dataclass
class ResultRow:
    option_id: int
    title: str
    idea_id: int | None
    cost_cents: int | None
    votes: int  # ballots that name the option
    score: int  # what the ranking is by: crosses, points, Borda points
    rank: int = 0
    funded: bool | None = None  # budgets only


@dataclass
class PollResults:
    poll: Poll
    ballots: int  # counted
    rows: list[ResultRow]
    spent_cents: int | None = None
    pending: int = 0  # cast, and waiting to be counted with the next batch or at the close

    @property
    def remaining_cents(self) -> int | None:
        if self.poll.budget_cents is None or self.spent_cents is None:
            return None
        return self.poll.budget_cents - self.spent_cents


def poll_results(poll: Poll) -> PollResults:
    pending, final = BallotPool.objects.filter(poll=poll).values_list(
        "pending", "final"
    ).first() or (0, False)
    if poll.is_closed() and not final:
        ballot_pool_flush(poll=poll)
        pending = 0
    options = list(poll.options.all())
    aggregates = {
        row["option_id"]: row
        for row in BallotLine.objects.filter(poll=poll)
        .values("option_id")
        .annotate(votes=Count("pk"), total=Sum("value"))
        .order_by()
    }
    ballots = poll.ballots.count()
    size = len(options)
    rows = []
    for option in options:
        found = aggregates.get(option.pk, {"votes": 0, "total": 0})
        votes, total = found["votes"], found["total"] or 0
        if poll.kind == PollKind.RANKING:
            # Borda count: rank 1 of n options is worth n points, rank n is worth 1.
            score = votes * (size + 1) - total
        elif poll.kind in (PollKind.APPROVAL, PollKind.BUDGET):
            score = votes
        else:
            score = total
        rows.append(
            ResultRow(option.pk, option.title, option.idea_id, option.cost_cents, votes, score)
        )
    # Ties: the cheaper first in budgets (more can be funded), then the earlier option.
    rows.sort(key=lambda r: (-r.score, r.cost_cents or 0, r.option_id))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    results = PollResults(poll=poll, ballots=ballots, rows=rows, pending=pending)
    if poll.kind == PollKind.BUDGET:
        results.spent_cents = _draw_funding_line(rows, poll.budget_cents or 0)
    return results


def _draw_funding_line(rows: list[ResultRow], budget: int) -> int:
    """Fund in the order of votes while the money lasts; an option that no longer fits is
    skipped and a cheaper one further down may still be funded (as most budgets do)."""
    spent = 0
    for row in rows:
        cost = row.cost_cents or 0
        row.funded = row.votes > 0 and spent + cost <= budget
        if row.funded:
            spent += cost
    return spent


def results_csv(results: PollResults) -> str:
    budget = results.poll.kind == PollKind.BUDGET
    header = ["rank", "option_id", "title", "votes", "score"]
    if budget:
        header += ["cost_cents", "funded"]
    lines: list[list[object]] = [header]
    for row in results.rows:
        line: list[object] = [row.rank, row.option_id, row.title, row.votes, row.score]
        if budget:
            line += [row.cost_cents, "yes" if row.funded else "no"]
        lines.append(line)
    return csv_text(lines)

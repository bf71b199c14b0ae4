"""Import a Polis conversation export into a project's opinion map.

Participants of the export become ``Participant`` rows with the export's id (they have no account
here); statements keep their Polis comment id; of several votes on the same statement the latest
counts, and the first one is kept as the time the person started (it orders the matrix rows as
Polis does). The caller reads the export first (``read_polis_export``), so a malformed file fails
before anything is written; the writes run in one transaction.

With ``replay_interval_ms`` the first computation is preceded by a replay of the whole history
(``polismath.replay``: votes in time order, a computation whenever new votes arrived and that
interval passed, each continuing from the previous state); the final state is stored, so the
import's own computation and later live votes continue from it as Polis's math server would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.projects.models import Project

from .computation import opinion_map_compute
from .models import OpinionMap, Participant, Statement, StatementVote
from .polis_export import PolisExport
from .polismath import latest_vote_rows
from .polismath.replay import replay
from .services import opinion_map_ensure

BATCH = 5000


@dataclass(frozen=True)
class ImportSummary:
    statements: int
    participants: int
    votes: int
    opinion_map: OpinionMap


def _when(millis: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.UTC)


@transaction.atomic
def polis_import(
    *,
    export: PolisExport,
    project: Project,
    compute: bool = True,
    replay_interval_ms: float | None = None,
) -> ImportSummary:
    """Store ``export`` in ``project`` (which must not have statements yet) and compute the map.

    ``replay_interval_ms``: replay the vote history at this cadence first (needs vote times).
    """
    if Statement.objects.filter(project=project).exists():
        raise ValueError(f"project {project.slug} already has statements")
    if replay_interval_ms is not None and export.timestamp is None:
        raise ValueError("replaying the history needs the vote times of votes.csv")
    opinion_map = opinion_map_ensure(project=project)
    municipality_id = project.municipality_id
    statements = Statement.objects.bulk_create(
        [
            Statement(
                municipality_id=municipality_id,
                project=project,
                text=s.text,
                external_id=str(s.id),
                status=Statement.Status.REJECTED if s.moderated_out else Statement.Status.ACCEPTED,
                moderation_reason=_("In Polis aussortiert.") if s.moderated_out else "",
                moderated_at=timezone.now(),
            )
            for s in export.statements
        ],
        batch_size=BATCH,
    )
    statement_pk = {int(s.external_id): s.pk for s in statements}

    pids, sids, values = export.participant, export.statement, export.value
    if export.timestamp is not None:
        times = export.timestamp
    else:
        # participants-votes.csv has no times: keep the file's order, one millisecond apart.
        base = int(timezone.now().timestamp() * 1000) - len(values)
        times = base + np.arange(len(values), dtype=np.int64)
    keep = latest_vote_rows(pids, sids, times)
    first = _first_times(pids, sids, times)

    people = dict.fromkeys(np.unique(pids).tolist())
    rows = Participant.objects.bulk_create(
        [
            Participant(municipality_id=municipality_id, project=project, external_id=str(pid))
            for pid in people
        ],
        batch_size=BATCH,
    )
    participant_pk = {int(p.external_id): p.pk for p in rows}
    StatementVote.objects.bulk_create(
        (
            StatementVote(
                municipality_id=municipality_id,
                project_id=project.pk,
                statement_id=statement_pk[sid],
                participant_id=participant_pk[pid],
                value=value,
                created_at=_when(first[(pid, sid)]),
                updated_at=_when(when),
            )
            for pid, sid, value, when in zip(
                pids[keep].tolist(),
                sids[keep].tolist(),
                values[keep].tolist(),
                times[keep].tolist(),
                strict=True,
            )
        ),
        batch_size=BATCH,
    )
    counts = np.bincount(
        np.searchsorted(np.array(sorted(statement_pk)), sids[keep]), minlength=len(statement_pk)
    )
    for polis_id, count in zip(sorted(statement_pk), counts.tolist(), strict=True):
        if count:
            Statement.objects.filter(pk=statement_pk[polis_id]).update(vote_count=count)
    if compute:
        if replay_interval_ms is not None:
            mapped_out = [statement_pk[s.id] for s in export.statements if s.moderated_out]
            run = replay(
                np.array([participant_pk[p] for p in pids.tolist()], dtype=np.int64),
                np.array([statement_pk[s] for s in sids.tolist()], dtype=np.int64),
                values,
                times,
                min_interval_ms=replay_interval_ms,
                moderated_out_ids=np.array(mapped_out, dtype=np.int64),
            )
            opinion_map.state = run.result.state.to_dict()
            opinion_map.save(update_fields=["state"])
        opinion_map = opinion_map_compute(opinion_map=opinion_map)
    return ImportSummary(len(statements), len(rows), len(keep), opinion_map)


def _first_times(
    pids: np.ndarray, sids: np.ndarray, times: np.ndarray
) -> dict[tuple[int, int], int]:
    """The earliest vote time of every (participant, statement) pair."""
    order = np.lexsort((times, sids, pids))
    p, s, t = pids[order], sids[order], times[order]
    starts = np.ones(len(p), dtype=bool)
    starts[1:] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
    return {
        (pid, sid): when
        for pid, sid, when in zip(
            p[starts].tolist(), s[starts].tolist(), t[starts].tolist(), strict=True
        )
    }

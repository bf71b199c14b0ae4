"""Import a Polis conversation export into a project's opinion map.

Participants of the export become ``Participant`` rows with the export's id (they have no account
here), with the embedding site's ``xid`` and the group Polis had given them where the export
says; statements keep their Polis comment id, author id, time, moderation and meta mark; of
several votes on the same statement the latest counts, and the first one is kept as the time the
person started. The caller reads the export first (``polis_export``), so a broken file fails
before anything is written; the writes run in one transaction, so an import is whole or absent.

``polis_import_run`` is the background side of the staff's upload (``services.polis_import_request``):
it reads the stored files with progress, imports, computes the map and writes the report.

With ``replay_interval_ms`` the first computation is preceded by a replay of the whole history
(``polismath.replay``: votes in time order, a computation whenever new votes arrived and that
interval passed, each continuing from the previous state); the final state is stored, so the
import's own computation and later live votes continue from it as Polis's math server would.
"""

from __future__ import annotations

import datetime
import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.projects.models import Project
from koproduktion.projects.services import project_content_changed

from .computation import opinion_map_compute
from .models import OpinionMap, Participant, PolisImport, Statement, StatementVote
from .polis_export import PolisExport, read_polis_files
from .polis_files import UPLOAD_LIMITS, files_of_upload
from .polis_problems import PolisExportError
from .polismath import adjusted_rand_index, latest_vote_rows
from .polismath.replay import replay
from .services import opinion_map_ensure

logger = logging.getLogger(__name__)

BATCH = 5000
# Progress is written at most this often (seconds): each write is a statement of its own.
PROGRESS_EVERY = 0.5


class ImportRefused(ValueError):
    """The project cannot take an import (it has statements already)."""


@dataclass(frozen=True)
class ImportSummary:
    statements: int
    participants: int
    votes: int
    opinion_map: OpinionMap
    participant_pk: dict[int, int]


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
        raise ImportRefused(f"project {project.slug} already has statements")
    if replay_interval_ms is not None and export.timestamp is None:
        raise ValueError("replaying the history needs the vote times of votes.csv")
    opinion_map = opinion_map_ensure(project=project)
    municipality_id = project.municipality_id
    now = timezone.now()
    statements = Statement.objects.bulk_create(
        [
            Statement(
                municipality_id=municipality_id,
                project=project,
                text=s.text,
                external_id=str(s.id),
                external_author="" if s.author_id is None else str(s.author_id),
                is_meta=s.is_meta,
                status=Statement.Status.REJECTED if s.moderated_out else Statement.Status.ACCEPTED,
                moderation_reason=_("In Polis aussortiert.") if s.moderated_out else "",
                moderated_at=now,
            )
            for s in export.statements
        ],
        batch_size=BATCH,
    )
    statement_pk = {int(s.external_id): s.pk for s in statements}
    created = {s.id: s.created for s in export.statements if s.created is not None}
    for polis_id, when in created.items():
        Statement.objects.filter(pk=statement_pk[polis_id]).update(created_at=_when(when))

    pids, sids, values = export.participant, export.statement, export.value
    if export.timestamp is not None:
        times = export.timestamp
    else:
        # participants-votes.csv has no times: keep the file's order, one millisecond apart.
        base = int(now.timestamp() * 1000) - len(values)
        times = base + np.arange(len(values), dtype=np.int64)
    keep = latest_vote_rows(pids, sids, times)
    first = _first_times(pids, sids, times)

    groups = export.group_ids or {}
    people = sorted(set(np.unique(pids).tolist()))
    rows = Participant.objects.bulk_create(
        [
            Participant(
                municipality_id=municipality_id,
                project=project,
                external_id=str(pid),
                xid=export.xids.get(pid, ""),
                polis_group=groups.get(pid),
            )
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
                created_at=_when(started),
                updated_at=_when(when),
            )
            for pid, sid, value, when, started in zip(
                pids[keep].tolist(),
                sids[keep].tolist(),
                values[keep].tolist(),
                times[keep].tolist(),
                first.tolist(),
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
    project_content_changed(project_id=project.pk)
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
    return ImportSummary(len(statements), len(rows), len(keep), opinion_map, participant_pk)


def _first_times(pids: np.ndarray, sids: np.ndarray, times: np.ndarray) -> np.ndarray:
    """The earliest vote time of every (participant, statement) pair, in (participant,
    statement) order: the order of ``latest_vote_rows``, so the two line up."""
    order = np.lexsort((times, sids, pids))
    p, s, t = pids[order], sids[order], times[order]
    starts = np.ones(len(p), dtype=bool)
    starts[1:] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
    return t[starts]


def agreement_with_polis(
    result: dict[str, Any] | None, participant_pk: dict[int, int], polis_groups: dict[int, int]
) -> tuple[float | None, int]:
    """Adjusted Rand index of our groups against Polis's, over the people both grouped."""
    if not result or not polis_groups:
        return None, 0
    ours = {pk: g["id"] for g in result.get("groups", []) for pk in g["members"]}
    common = [pid for pid in polis_groups if participant_pk.get(pid) in ours]
    if len(common) < 2:
        return None, len(common)
    ari = adjusted_rand_index(
        np.array([ours[participant_pk[pid]] for pid in common]),
        np.array([polis_groups[pid] for pid in common]),
    )
    return round(float(ari), 3), len(common)


def _report(export: PolisExport, summary: ImportSummary) -> dict[str, Any]:
    result = summary.opinion_map.result
    ari, compared = agreement_with_polis(result, summary.participant_pk, export.group_ids or {})
    return {
        "statements": summary.statements,
        "statements_moderated_out": sum(s.moderated_out for s in export.statements),
        "statements_meta": sum(s.is_meta for s in export.statements),
        "participants": summary.participants,
        "votes": summary.votes,
        "vote_rows": len(export.value),
        "with_times": export.timestamp is not None,
        "xids": len(export.xids),
        "polis_groups": len(set((export.group_ids or {}).values())),
        "groups": len(result["groups"]) if result else 0,
        "agreement_with_polis": ari,
        "compared_participants": compared,
        "left_out": (result or {}).get("left_out", {}),
        "notices": [notice.to_dict() for notice in export.notices],
    }


class _Progress:
    """Writes the reading's progress to the import's row, at most every ``PROGRESS_EVERY`` s."""

    def __init__(self, job: PolisImport) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        PolisImport.objects.filter(pk=self.job.pk).update(progress_done=done, progress_total=total)


def _stage(job: PolisImport, stage: str, **fields: Any) -> None:
    PolisImport.objects.filter(pk=job.pk).update(stage=stage, **fields)


def _finish(job: PolisImport, **fields: Any) -> None:
    PolisImport.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)


def _delete_files(job: PolisImport) -> None:
    for stored in job.files:
        try:
            default_storage.delete(stored["path"])
        except OSError:
            logger.warning("could not delete uploaded file %s", stored["path"])


def polis_import_run(*, import_id: int) -> PolisImport | None:
    """Run a queued import: read with progress, store, compute, report; delete the upload.

    Runs once: the import is claimed by one conditional UPDATE, so a task delivered twice does
    nothing the second time. Every outcome ends the import as done or failed with a reason.
    """
    claimed = PolisImport.objects.filter(pk=import_id, status=PolisImport.Status.QUEUED).update(
        status=PolisImport.Status.RUNNING,
        stage=PolisImport.Stage.READING,
        started_at=timezone.now(),
    )
    job = PolisImport.objects.select_related("project").filter(pk=import_id).first()
    if not claimed or job is None:
        return job
    try:
        with ExitStack() as stack:
            stored = [
                (
                    item["name"],
                    lambda path=item["path"]: default_storage.open(path, "rb"),
                    default_storage.size(item["path"]),
                )
                for item in job.files
            ]
            files = stack.enter_context(files_of_upload(stored, limits=UPLOAD_LIMITS))
            export = read_polis_files(files, progress=_Progress(job))
        _stage(job, PolisImport.Stage.STORING, progress_done=0, progress_total=0)
        summary = polis_import(export=export, project=job.project, compute=False)
        _stage(job, PolisImport.Stage.COMPUTING)
        summary = ImportSummary(
            summary.statements,
            summary.participants,
            summary.votes,
            opinion_map_compute(opinion_map=summary.opinion_map),
            summary.participant_pk,
        )
        _finish(job, status=PolisImport.Status.DONE, report=_report(export, summary))
    except PolisExportError as error:
        _finish(job, status=PolisImport.Status.FAILED, error=error.problem.to_dict())
    except ImportRefused:
        _finish(
            job,
            status=PolisImport.Status.FAILED,
            error={"code": "not_empty", "file": "", "detail": {}},
        )
    except Exception:
        logger.exception("Polis import %s failed", import_id)
        _finish(
            job,
            status=PolisImport.Status.FAILED,
            error={"code": "internal", "file": "", "detail": {}},
        )
    finally:
        _delete_files(job)
    job.refresh_from_db()
    return job

"""Read a Polis conversation export (the CSV directory Polis offers for download).

Django-free on purpose: the importer service turns a `PolisExport` into model rows, the
benchmark and the tests feed it straight into the math. Reading is all-or-nothing: any
malformed line raises `PolisExportError` naming the file and line, and nothing is returned,
so an import never stores half a conversation.

Files used: `comments.csv` (statements), `votes.csv` (every vote with its time; the latest per
participant and statement counts) or, if that is missing, `participants-votes.csv` (one row per
participant, latest votes only). `participants-votes.csv` also carries the `group-id` Polis
assigned, which we keep for comparison. In exports agree = 1, disagree = -1, pass = 0.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .polismath import VoteMatrix, build_vote_matrix

# Two real Polis conversations (open data, CC BY 4.0) shipped for tests, benchmarks and the demo.
SAMPLE_CONVERSATIONS = Path(__file__).resolve().parents[2] / "testdata" / "polis"

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANT_VOTES = "participants-votes.csv"
_FIXED_PARTICIPANT_COLUMNS = (
    "participant",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)


class PolisExportError(ValueError):
    """A Polis export could not be read; the message names file, line and problem."""


@dataclass(frozen=True)
class PolisStatement:
    id: int
    author_id: int
    text: str
    moderated: int  # -1 moderated out, 0 not yet moderated, 1 accepted
    created: int | None  # milliseconds since the epoch, if the export has it

    @property
    def moderated_out(self) -> bool:
        return self.moderated == -1


@dataclass(frozen=True)
class PolisExport:
    statements: tuple[PolisStatement, ...]
    participant: np.ndarray  # participant id of each vote
    statement: np.ndarray  # statement id of each vote
    value: np.ndarray  # -1, 0 or 1
    timestamp: np.ndarray | None  # ms since the epoch; None when read from participants-votes.csv
    group_ids: dict[int, int] | None  # Polis's own group per participant (assigned ones only)

    def vote_matrix(self) -> tuple[VoteMatrix, np.ndarray, np.ndarray, np.ndarray]:
        """(matrix, participant ids, statement ids, moderated-out mask) ready for `compute`."""
        all_ids = np.array([s.id for s in self.statements], dtype=np.int64)
        matrix, pids, sids = build_vote_matrix(
            self.participant,
            self.statement,
            self.value,
            self.timestamp,
            all_statement_ids=all_ids,
        )
        out = {s.id for s in self.statements if s.moderated_out}
        return matrix, pids, sids, np.array([sid in out for sid in sids.tolist()], dtype=bool)


class _Table:
    """A CSV file read row by row, remembering the line each record starts on."""

    def __init__(self, path: Path, required: tuple[str, ...]) -> None:
        self.name = path.name
        self._handle = path.open(newline="", encoding="utf-8-sig")
        self._reader = csv.reader(self._handle)
        try:
            self.header = next(self._reader)
        except StopIteration:
            self._handle.close()
            raise PolisExportError(f"{self.name}, line 1: the file is empty (no header)") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            self._handle.close()
            raise PolisExportError(f"{self.name}, line 1: unreadable header ({exc})") from None
        for column in required:
            if column not in self.header:
                self._handle.close()
                raise PolisExportError(f"{self.name}, line 1: missing column '{column}'")
        self.column = {name: i for i, name in enumerate(self.header)}
        self.line = 1

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        try:
            while True:
                start = self._reader.line_num + 1
                try:
                    row = next(self._reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as exc:
                    raise PolisExportError(f"{self.name}, line {start}: {exc}") from None
                self.line = start
                if not row:
                    continue
                if len(row) != len(self.header):
                    raise self.error(f"expected {len(self.header)} fields, found {len(row)}")
                yield start, row
        finally:
            self._handle.close()

    def error(self, problem: str) -> PolisExportError:
        return PolisExportError(f"{self.name}, line {self.line}: {problem}")

    def integer(self, row: list[str], column: str) -> int:
        raw = row[self.column[column]].strip()
        try:
            return int(raw)
        except ValueError:
            raise self.error(f"{column} '{raw}' is not an integer") from None

    def vote(self, raw: str, what: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise self.error(f"{what} '{raw}' is not one of -1, 0, 1") from None
        if value not in (-1, 0, 1):
            raise self.error(f"{what} '{raw}' is not one of -1, 0, 1")
        return value


def _read_comments(path: Path) -> tuple[PolisStatement, ...]:
    table = _Table(path, ("comment-id", "author-id", "moderated", "comment-body"))
    statements: dict[int, PolisStatement] = {}
    has_time = "timestamp" in table.column
    for _, row in table.rows():
        sid = table.integer(row, "comment-id")
        if sid in statements:
            raise table.error(f"comment-id {sid} appears twice")
        moderated = table.integer(row, "moderated")
        if moderated not in (-1, 0, 1):
            raise table.error(f"moderated '{moderated}' is not one of -1, 0, 1")
        statements[sid] = PolisStatement(
            id=sid,
            author_id=table.integer(row, "author-id"),
            text=row[table.column["comment-body"]],
            moderated=moderated,
            created=table.integer(row, "timestamp") if has_time else None,
        )
    return tuple(sorted(statements.values(), key=lambda s: s.id))


def _read_votes(path: Path, known: set[int]) -> tuple[np.ndarray, ...]:
    table = _Table(path, ("timestamp", "comment-id", "voter-id", "vote"))
    pids: list[int] = []
    sids: list[int] = []
    values: list[int] = []
    times: list[int] = []
    for _, row in table.rows():
        sid = table.integer(row, "comment-id")
        if sid not in known:
            raise table.error(f"comment-id {sid} is not in {COMMENTS}")
        pids.append(table.integer(row, "voter-id"))
        sids.append(sid)
        values.append(table.vote(row[table.column["vote"]], "vote"))
        times.append(table.integer(row, "timestamp"))
    return (
        np.array(pids, np.int64),
        np.array(sids, np.int64),
        np.array(values, np.int8),
        np.array(times, np.int64),
    )


def _read_participant_votes(
    path: Path, known: set[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, int]]:
    table = _Table(path, ("participant", "group-id"))
    vote_columns: list[tuple[int, int]] = []
    for i, name in enumerate(table.header):
        if name in _FIXED_PARTICIPANT_COLUMNS:
            continue
        try:
            sid = int(name)
        except ValueError:
            raise table.error(f"column '{name}' is not a statement id") from None
        if sid not in known:
            raise table.error(f"column '{name}' is not a comment-id in {COMMENTS}")
        vote_columns.append((i, sid))
    pids: list[int] = []
    sids: list[int] = []
    values: list[int] = []
    groups: dict[int, int] = {}
    seen: set[int] = set()
    for _, row in table.rows():
        pid = table.integer(row, "participant")
        if pid in seen:
            raise table.error(f"participant {pid} appears twice")
        seen.add(pid)
        if row[table.column["group-id"]].strip():
            groups[pid] = table.integer(row, "group-id")
        for i, sid in vote_columns:
            if row[i].strip():
                pids.append(pid)
                sids.append(sid)
                values.append(table.vote(row[i], f"vote on statement {sid}"))
    return np.array(pids, np.int64), np.array(sids, np.int64), np.array(values, np.int8), groups


def read_polis_export(path: str | Path) -> PolisExport:
    """Read the export directory at `path`; raise `PolisExportError` if anything is malformed."""
    directory = Path(path)
    if not directory.is_dir():
        raise PolisExportError(f"{directory}: not a directory")
    comments = directory / COMMENTS
    if not comments.is_file():
        raise PolisExportError(f"{directory}: no {COMMENTS}")
    statements = _read_comments(comments)
    known = {s.id for s in statements}
    votes_file = directory / VOTES
    participants_file = directory / PARTICIPANT_VOTES
    group_ids = None
    timestamp = None
    if participants_file.is_file():
        p_pids, p_sids, p_values, group_ids = _read_participant_votes(participants_file, known)
    elif not votes_file.is_file():
        raise PolisExportError(f"{directory}: neither {VOTES} nor {PARTICIPANT_VOTES}")
    if votes_file.is_file():
        pids, sids, values, timestamp = _read_votes(votes_file, known)
    else:
        pids, sids, values = p_pids, p_sids, p_values
    return PolisExport(statements, pids, sids, values, timestamp, group_ids)

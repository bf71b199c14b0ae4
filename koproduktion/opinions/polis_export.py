"""Read a Polis conversation export: whatever Polis version or deployment wrote it.

Django-free on purpose: the importer service turns a `PolisExport` into model rows, the
benchmark and the tests feed it straight into the math. Reading is all-or-nothing: anything
really broken raises `PolisExportError` naming the file, line and column (`polis_problems`), and
nothing is returned, so an import never stores half a conversation. What can be read in a
particular way (rows of an unknown statement, columns not used, timestamps in seconds) is read
and named in `notices`.

Files (`polis_files` finds them by name, in a folder, a ZIP or an upload):
- `comments.csv`, the statements: `comment-id` and `comment-body` are needed; `moderated`
  (-1 moderated out, 0 not yet, 1 accepted), `author-id`, `timestamp` and `is-meta` are kept.
  Old Polis versions wrote the body unquoted, so a body with commas has more fields than the
  header; as the body is the last column, the extra fields are its own.
- `votes.csv`, every vote with its time (the latest per participant and statement counts), or
  else `participants-votes.csv` (Polis's server: `participant-votes.csv`), one row per
  participant with the latest votes. That table's named columns (`participant`, `xid`,
  `group-id`, the counts) can stand anywhere and in any number; a column is a statement's when
  its header is a number that is a comment-id. `group-id` (the group Polis assigned) and `xid`
  (the participant's id in the site that embedded Polis) are kept from it also when the votes
  come from `votes.csv`; when both files are there, their votes are compared.
- `summary.csv` and `format.json` may declare the sign of the votes (newer Polis versions);
  another sign than Polis's export convention is refused, as Polis's own importer does.
Timestamps are milliseconds in Polis's open data and seconds in newer exports; a file whose
times are all below 10¹¹ (the year 1973 in milliseconds) is read in seconds. In exports agree =
1, disagree = -1, pass = 0.
"""

from __future__ import annotations

import csv
import io
import json
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from koproduktion.core.csv_export import csv_cell_read

from .polis_files import (
    COMMENTS,
    FORMAT,
    NO_LIMITS,
    PARTICIPANT_VOTES,
    SUMMARY,
    VOTES,
    ExportFile,
    ExportFiles,
    ReadCounter,
    files_in_directory,
)
from .polis_problems import NoticeCount, Notices, PolisExportError, Problem
from .polis_table import CONVENTION, FORMAT_ID, CsvTable, check_convention
from .polismath import VoteMatrix, build_vote_matrix

__all__ = ["PolisExport", "PolisExportError", "PolisStatement", "read_polis_export"]

# Two real Polis conversations (open data, CC BY 4.0) shipped for tests, benchmarks and the demo.
SAMPLE_CONVERSATIONS = Path(__file__).resolve().parents[2] / "testdata" / "polis"

XID_MAX_LENGTH = 255
# Below this, a timestamp cannot be milliseconds of a Polis conversation (1973): it is seconds.
SECONDS_BELOW = 10**11


@dataclass(frozen=True)
class PolisStatement:
    id: int
    author_id: int | None
    text: str
    moderated: int  # -1 moderated out, 0 not yet moderated, 1 accepted
    created: int | None  # milliseconds since the epoch, if the export has it
    is_meta: bool = False

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
    xids: dict[int, str] = field(default_factory=dict)  # the embedding site's id, where given
    notices: tuple[NoticeCount, ...] = ()

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


def _in_milliseconds(times: np.ndarray, file: str, notices: Notices) -> np.ndarray:
    if len(times) and int(times.max()) < SECONDS_BELOW and int(times.max()) > 0:
        notices.add("timestamps_in_seconds", file)
        return times * 1000
    return times


def _read_comments(file: ExportFile, counter: ReadCounter, notices: Notices) -> tuple:
    table = CsvTable(file, counter, notices, required=("comment-id", "comment-body"))
    table.unused_columns(
        {"comment-id", "comment-body", "author-id", "moderated", "timestamp", "is-meta", "is_meta"}
    )
    meta_column = "is-meta" if "is-meta" in table.column else "is_meta"
    has = {name: name in table.column for name in ("author-id", "moderated", "timestamp")}
    statements: dict[int, PolisStatement] = {}
    created: list[int] = []
    for row in table.rows(tail="comment-body"):
        sid = table.integer(row, "comment-id")
        if sid in statements:
            raise table.error("duplicate_comment", column=table.column["comment-id"], id=sid)
        moderated = table.integer(row, "moderated") if has["moderated"] else 1
        if moderated not in (-1, 0, 1):
            raise table.error(
                "bad_moderated", column=table.column["moderated"], value=str(moderated)
            )
        author = None
        if has["author-id"] and row[table.column["author-id"]].strip():
            author = table.integer(row, "author-id")
        when = table.integer(row, "timestamp") if has["timestamp"] else None
        if when is not None:
            created.append(when)
        statements[sid] = PolisStatement(
            id=sid,
            author_id=author,
            # Our own exports guard formula-like texts with an apostrophe; read them as written.
            text=csv_cell_read(row[table.column["comment-body"]]),
            moderated=moderated,
            created=when,
            is_meta=table.flag(row, meta_column) if meta_column in table.column else False,
        )
    if created and max(created) < SECONDS_BELOW:
        notices.add("timestamps_in_seconds", file.name)
        statements = {
            sid: PolisStatement(
                s.id,
                s.author_id,
                s.text,
                s.moderated,
                None if s.created is None else s.created * 1000,
                s.is_meta,
            )
            for sid, s in statements.items()
        }
    return tuple(sorted(statements.values(), key=lambda s: s.id))


def _read_votes(
    file: ExportFile, counter: ReadCounter, notices: Notices, known: set[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    table = CsvTable(file, counter, notices, required=("comment-id", "voter-id", "vote"))
    table.unused_columns({"comment-id", "voter-id", "vote", "timestamp"})
    has_time = "timestamp" in table.column
    vote_column = table.column["vote"]
    pids, sids, values, times = array("q"), array("q"), array("b"), array("q")
    for row in table.rows():
        sid = table.integer(row, "comment-id")
        pid = table.integer(row, "voter-id")
        value = table.vote(row[vote_column], vote_column)
        when = table.integer(row, "timestamp") if has_time else 0
        if sid not in known:
            notices.add("vote_on_unknown_statement", file.name, table.line, id=sid)
            continue
        pids.append(pid)
        sids.append(sid)
        values.append(value)
        times.append(when)
    timestamp = None
    if has_time:
        timestamp = _in_milliseconds(np.frombuffer(times, np.int64).copy(), file.name, notices)
    return (
        np.frombuffer(pids, np.int64).copy() if pids else np.zeros(0, np.int64),
        np.frombuffer(sids, np.int64).copy() if sids else np.zeros(0, np.int64),
        np.frombuffer(values, np.int8).copy() if values else np.zeros(0, np.int8),
        timestamp,
    )


@dataclass
class _ParticipantTable:
    participant: np.ndarray
    statement: np.ndarray
    value: np.ndarray
    groups: dict[int, int]
    xids: dict[int, str]


def _read_participant_votes(
    file: ExportFile, counter: ReadCounter, notices: Notices, known: set[int]
) -> _ParticipantTable:
    table = CsvTable(file, counter, notices, required=("participant",))
    understood = {"participant", "group-id", "xid"}
    vote_columns: list[tuple[int, int]] = []
    seen_statements: set[int] = set()
    for i, name in enumerate(table.header):
        if not name.isdigit():
            continue
        understood.add(name)
        sid = int(name)
        if sid in seen_statements:
            table.close()
            raise table.error("duplicate_column", column=i, name=name)
        seen_statements.add(sid)
        if sid in known:
            vote_columns.append((i, sid))
        else:
            notices.add(
                "column_of_unknown_statement",
                file.name,
                1,
                column=i + 1,
                column_name=name,
                name=name,
            )
    table.unused_columns(understood)
    group_column = table.column.get("group-id")
    xid_column = table.column.get("xid")
    pids, sids, values = array("q"), array("q"), array("b")
    groups: dict[int, int] = {}
    xids: dict[int, str] = {}
    seen: set[int] = set()
    for row in table.rows():
        pid = table.integer(row, "participant")
        if pid in seen:
            raise table.error("duplicate_participant", column=table.column["participant"], id=pid)
        seen.add(pid)
        cast = [(i, sid, row[i]) for i, sid in vote_columns if row[i]]
        cast = [(i, sid, raw) for i, sid, raw in cast if raw.strip()]
        if not cast:
            notices.add("participant_without_votes", file.name, table.line, id=pid)
            continue
        for i, sid, raw in cast:
            pids.append(pid)
            sids.append(sid)
            values.append(table.vote(raw, i))
        if group_column is not None and row[group_column].strip():
            groups[pid] = table.integer(row, "group-id")
        if xid_column is not None and (xid := row[xid_column].strip()):
            if len(xid) > XID_MAX_LENGTH:
                raise table.error(
                    "text_too_long", column=xid_column, length=len(xid), limit=XID_MAX_LENGTH
                )
            xids[pid] = xid
    return _ParticipantTable(
        np.frombuffer(pids, np.int64).copy() if pids else np.zeros(0, np.int64),
        np.frombuffer(sids, np.int64).copy() if sids else np.zeros(0, np.int64),
        np.frombuffer(values, np.int8).copy() if values else np.zeros(0, np.int8),
        groups,
        xids,
    )


def _read_declarations(files: ExportFiles, counter: ReadCounter, notices: Notices) -> None:
    """The vote convention declared in summary.csv (its last rows) or format.json."""
    summary = files.get(SUMMARY)
    if summary is not None:
        with io.TextIOWrapper(
            summary.open_binary(counter), encoding="utf-8-sig", errors="replace", newline=""
        ) as handle:
            try:
                for number, row in enumerate(csv.reader(handle), start=1):
                    if row and row[0].strip() == "vote-convention":
                        check_convention(",".join(row[1:]), summary.name, number)
                        notices.add("convention_declared", summary.name, number)
            except csv.Error:
                pass  # the summary is informative only; a broken one is not the votes' fault
    declared = files.get(FORMAT)
    if declared is None:
        return
    with declared.open_binary(counter) as handle:
        raw = handle.read(1024 * 1024)
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise PolisExportError(
            Problem("convention_malformed", declared.name, detail={"declared": "JSON"})
        ) from None
    if not isinstance(document, dict):
        raise PolisExportError(
            Problem("convention_malformed", declared.name, detail={"declared": "JSON"})
        )
    if "vote-convention" in document:
        check_convention(str(document["vote-convention"]), declared.name)
    if "vote" in document and document["vote"] != CONVENTION:
        raise PolisExportError(
            Problem(
                "convention_mismatch",
                declared.name,
                detail={"declared": json.dumps(document["vote"])[:80]},
            )
        )
    if "format" in document and document["format"] != FORMAT_ID:
        raise PolisExportError(
            Problem("convention_mismatch", declared.name, detail={"declared": document["format"]})
        )
    notices.add("convention_declared", declared.name)


def _compare(
    votes: tuple[np.ndarray, ...],
    table: _ParticipantTable,
    names: tuple[str, str],
    notices: Notices,
) -> np.ndarray:
    """Compare votes.csv's latest votes with the table's; return votes.csv's values to use.

    An export of an old Polis version wrote votes.csv in the database's sign (agree = -1): when
    nearly every vote that is not a pass has the opposite sign in the table, the table's sign
    is taken.
    """
    from .polismath import latest_vote_rows  # noqa: PLC0415

    pids, sids, values, times = votes
    if not len(values) or not len(table.value):
        return values
    keep = latest_vote_rows(pids, sids, times)
    width = int(max(sids.max(), table.statement.max())) + 1
    ours = pids[keep] * width + sids[keep]
    theirs = table.participant * width + table.statement
    common, i, j = np.intersect1d(ours, theirs, return_indices=True)
    if not len(common):
        return values
    a, b = values[keep][i], table.value[j]
    signed = (a != 0) & (b != 0)
    flipped = int((signed & (a == -b)).sum())
    if signed.sum() >= 10 and flipped >= 0.9 * signed.sum():
        notices.add(
            "sign_flipped", names[0], count=flipped, total=int(signed.sum()), other=names[1]
        )
        return -values
    differ = int((a != b).sum())
    if differ:
        notices.add("votes_differ", names[0], count=differ, total=len(common), other=names[1])
    return values


def read_polis_files(
    files: ExportFiles, *, progress: Callable[[int, int], None] | None = None
) -> PolisExport:
    """Read the export's files; raise `PolisExportError` if anything is really broken.

    ``progress(done, total)`` is called as the bytes are read (total: as declared).
    """
    notices = Notices()
    for name in files.ignored:
        notices.add("file_ignored", name)
    counter = ReadCounter(files.limits or NO_LIMITS, files.declared_total(), progress)
    comments = files.get(COMMENTS)
    if comments is None:
        raise PolisExportError(Problem("missing_comments", ""))
    votes_file, table_file = files.get(VOTES), files.get(PARTICIPANT_VOTES)
    if votes_file is None and table_file is None:
        raise PolisExportError(Problem("missing_votes", ""))
    _read_declarations(files, counter, notices)
    statements = _read_comments(comments, counter, notices)
    known = {s.id for s in statements}
    table = votes = None
    if table_file is not None:
        try:
            table = _read_participant_votes(table_file, counter, notices, known)
        except PolisExportError as error:
            if error.problem.code != "empty_file" or votes_file is None:
                raise
            notices.add("empty_votes_file", table_file.name, other=votes_file.name)
    if votes_file is not None:
        try:
            votes = _read_votes(votes_file, counter, notices, known)
        except PolisExportError as error:
            if error.problem.code != "empty_file" or table is None:
                raise
            notices.add("empty_votes_file", votes_file.name, other=table_file.name)  # type: ignore[union-attr]
    if votes is not None:
        pids, sids, values, timestamp = votes
        if table is not None:
            values = _compare(votes, table, (votes_file.name, table_file.name), notices)  # type: ignore[union-attr]
    else:
        assert table is not None  # noqa: S101 - one of the two was read
        pids, sids, values, timestamp = table.participant, table.statement, table.value, None
    return PolisExport(
        statements=statements,
        participant=pids,
        statement=sids,
        value=values,
        timestamp=timestamp,
        group_ids=table.groups if table is not None else None,
        xids=table.xids if table is not None else {},
        notices=notices.report(),
    )


def read_polis_export(path: str | Path) -> PolisExport:
    """Read the export directory at `path`; raise `PolisExportError` if anything is broken."""
    with files_in_directory(path) as files:
        return read_polis_files(files)

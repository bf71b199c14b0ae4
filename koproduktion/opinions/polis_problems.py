"""What can be wrong with a Polis export, by code, where it is and what was found.

Django-free like the reader: a ``Problem`` names the file, line and column and carries a code
and the values found; ``str()`` gives the sentence in English (the command line, logs). The
staff pages say the same in the person's language (``import_messages``), keyed by the same
codes, so a test can check that every code has its sentence in both.

Two kinds: an error stops the import (``PolisExportError``; nothing is written), a notice says
what was left out or read in a particular way (rows skipped with the reason, columns and files
not used) and goes into the import's report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Errors: the export cannot be imported as it is.
ERRORS = {
    "not_a_directory": "not a directory",
    "missing_comments": "no comments.csv (the statements) in the export",
    "missing_votes": "neither votes.csv nor participants-votes.csv (the votes) in the export",
    "duplicate_file": "two files for {role}: {first} and {second}",
    "empty_file": "the file is empty (no header)",
    "not_text": "this is not a CSV text file (it holds a zero byte)",
    "not_utf8": "not UTF-8 text (byte {byte} cannot be read); save the file as UTF-8",
    "malformed_csv": "not valid CSV ({detail})",
    "field_too_large": "a field is longer than {limit} characters",
    "too_many_columns": "more than {limit} columns",
    "missing_column": "missing column '{name}'",
    "duplicate_column": "column '{name}' appears twice",
    "field_count": "expected {expected} fields, found {found}",
    "not_integer": "'{value}' is not a whole number",
    "bad_vote": "'{value}' is not one of -1, 0, 1",
    "bad_moderated": "'{value}' is not one of -1, 0, 1",
    "bad_flag": "'{value}' is neither true nor false",
    "duplicate_comment": "comment-id {id} appears twice",
    "duplicate_participant": "participant {id} appears twice",
    "text_too_long": "the statement has {length} characters, at most {limit} are imported",
    "file_too_large": "the file is larger than {limit} when unpacked",
    "export_too_large": "the export is larger than {limit} when unpacked",
    "convention_mismatch": "the votes are declared in another sign convention ({declared}); "
    "Polis exports use agree=+1;disagree=-1;pass=0",
    "convention_malformed": "the declaration of the vote convention cannot be read ({declared})",
    "not_a_zip": "not a ZIP archive",
    "zip_encrypted": "the ZIP archive is encrypted",
    "zip_too_many_files": "the ZIP archive holds more than {limit} files",
    "zip_unreadable": "the ZIP archive is damaged ({detail})",
    "unknown_file": "not a file of a Polis export (expected comments.csv, votes.csv, "
    "participants-votes.csv)",
}

# Notices: read, and the report says how.
NOTICES = {
    "vote_on_unknown_statement": "vote on comment-id {id}, which is not in comments.csv: "
    "row skipped",
    "column_of_unknown_statement": "the column's comment-id is not in comments.csv: column skipped",
    "column_ignored": "the column is not used",
    "file_ignored": "not used",
    "empty_votes_file": "the file is empty: the votes are read from {other}",
    "participant_without_votes": "participant {id} has no votes: row skipped",
    "timestamps_in_seconds": "timestamps are in seconds (newer Polis exports): read as such",
    "sign_flipped": "agree and disagree are swapped against {other} in {count} of {total} "
    "votes (an export of an older Polis version): read with the sign of {other}",
    "votes_differ": "{count} of {total} latest votes differ from {other}; the votes of this "
    "file (with their times) are used",
    "convention_declared": "the votes are declared as agree=+1;disagree=-1;pass=0",
}


@dataclass(frozen=True)
class Problem:
    """One finding in one file: ``line`` and ``column`` count from 1 (``None``: the whole file)."""

    code: str
    file: str
    line: int | None = None
    column: int | None = None
    column_name: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.code in ERRORS

    def to_dict(self) -> dict[str, Any]:
        """As stored with an import (JSON), to be said in the reader's language."""
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "column_name": self.column_name,
            "detail": self.detail,
        }

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            name = f" ({self.column_name})" if self.column_name else ""
            parts.append(f"column {self.column}{name}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = {**ERRORS, **NOTICES}[self.code].format(**self.detail)
        place = self.where()
        return f"{place}: {text}" if place else text


class PolisExportError(ValueError):
    """A Polis export could not be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Notices:
    """Notices of one reading, counted per (file, code, detail), with the first few lines."""

    examples: int = 5
    _seen: dict[tuple[str, str, tuple], list] = field(default_factory=dict)

    def add(
        self,
        code: str,
        file: str,
        line: int | None = None,
        *,
        column: int | None = None,
        column_name: str | None = None,
        **detail: Any,
    ) -> None:
        # Rows skipped for the same reason are one notice with a count; their ids differ.
        key_detail = tuple(sorted((k, v) for k, v in detail.items() if k != "id"))
        key = (file, code, key_detail)
        entry = self._seen.get(key)
        if entry is None:
            problem = Problem(code, file, line, column, column_name, detail)
            self._seen[key] = [problem, 1, [line] if line is not None else []]
            return
        entry[1] += 1
        if line is not None and len(entry[2]) < self.examples:
            entry[2].append(line)

    def report(self) -> tuple[NoticeCount, ...]:
        return tuple(
            NoticeCount(problem=problem, count=count, lines=tuple(lines))
            for problem, count, lines in self._seen.values()
        )


@dataclass(frozen=True)
class NoticeCount:
    """A notice with how often it occurred and the first lines it occurred on."""

    problem: Problem
    count: int
    lines: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.problem.to_dict(), "count": self.count, "lines": list(self.lines)}

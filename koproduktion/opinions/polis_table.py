"""A CSV file of a Polis export read row by row (``polis_export``'s reader of every file).

Each record names the line it starts on, so that a problem can say the file, line and column;
the columns Polis writes that follow from others are read past, and unknown ones are named in
the notices.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from .polis_files import COMMENTS, NO_LIMITS, PARTICIPANT_VOTES, VOTES, ExportFile, ReadCounter
from .polis_problems import Notices, PolisExportError, Problem

# Polis caps a conversation at 10,000 statements; the table has a few named columns besides.
MAX_COLUMNS = 20_000
VOTE = {"1": 1, "-1": -1, "0": 0}
CONVENTION = {"agree": 1, "disagree": -1, "pass": 0}
FORMAT_ID = "polis-export/1"
_TRUE = {"1", "true", "t", "yes", "y"}
_FALSE = {"0", "false", "f", "no", "n", ""}
# Columns Polis writes that follow from the others (counts, a readable date): read past.
_DERIVED = {
    COMMENTS: {"datetime", "agrees", "disagrees", "passes"},
    VOTES: {"datetime"},
    PARTICIPANT_VOTES: {"n-comments", "n-votes", "n-agree", "n-disagree"},
}


class CsvTable:
    """A CSV file read row by row, naming the line each record starts on in its problems."""

    def __init__(
        self,
        file: ExportFile,
        counter: ReadCounter,
        notices: Notices,
        *,
        required: tuple[str, ...],
    ) -> None:
        self.name = file.name
        self.role = file.role
        self._file = file
        self.notices = notices
        self._handle = io.TextIOWrapper(
            file.open_binary(counter), encoding="utf-8-sig", errors="strict", newline=""
        )
        self._reader = csv.reader(self._handle, strict=True)
        self.line = 1
        try:
            header = self._next()
            if header and header[0].lstrip().startswith("#") and self._declaration(header):
                header = self._next()
        except BaseException:
            self._handle.close()
            raise
        if header is None:
            self._handle.close()
            raise PolisExportError(Problem("empty_file", self.name))
        if len(header) > MAX_COLUMNS:
            self._handle.close()
            raise self.error("too_many_columns", limit=MAX_COLUMNS)
        self.header = [name.strip() for name in header]
        self.header_line = self.line
        self.column: dict[str, int] = {}
        for i, name in enumerate(self.header):
            if name in self.column and not name.isdigit():
                self._handle.close()
                raise self.error("duplicate_column", column=i, name=name)
            self.column.setdefault(name, i)
        for name in required:
            if name not in self.column:
                self._handle.close()
                raise self.error("missing_column", name=name)

    def _next(self) -> list[str] | None:
        """The next record (None at the end), with decoding and CSV errors located."""
        start = self._reader.line_num + 1
        try:
            row = next(self._reader)
        except StopIteration:
            return None
        except UnicodeDecodeError:
            self.line, byte = self._undecodable()
            raise self.error("not_utf8", byte=f"0x{byte}") from None
        except csv.Error as exc:
            self.line = start
            if "field larger than field limit" in str(exc):
                raise self.error("field_too_large", limit=csv.field_size_limit()) from None
            raise self.error("malformed_csv", detail=str(exc)) from None
        self.line = start
        return row

    def _undecodable(self) -> tuple[int, str]:
        """The line and byte of the first text that is not UTF-8, read again line by line.

        The decoder fails on a whole chunk of the file; only a second reading tells the line.
        """
        counter = ReadCounter(NO_LIMITS, 0)
        with self._file.open_binary(counter) as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    return number, exc.object[exc.start : exc.start + 1].hex().upper()
        return self._reader.line_num + 1, "?"

    def _declaration(self, header: list[str]) -> bool:
        """Check a first line ``# vote-convention: …``; True if it was one (then skipped)."""
        match = re.match(r"\s*#\s*vote-convention\s*:\s*(.*)", ",".join(header))
        if match is None:
            return False  # any other first line is the header, as in Polis
        check_convention(match.group(1), self.name, self.line)
        self.notices.add("convention_declared", self.name, self.line)
        return True

    def rows(self, *, tail: str | None = None) -> Iterator[list[str]]:
        """The records after the header; ``tail`` names a last column that may hold commas."""
        width = len(self.header)
        tail_ok = tail is not None and self.column.get(tail) == width - 1
        try:
            while (row := self._next()) is not None:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) > width and tail_ok:
                    row = [*row[: width - 1], ",".join(row[width - 1 :])]
                if len(row) != width:
                    raise self.error("field_count", expected=width, found=len(row))
                yield row
        finally:
            self._handle.close()

    def close(self) -> None:
        self._handle.close()

    def error(self, code: str, *, column: int | None = None, **detail: object) -> PolisExportError:
        name = self.header[column] if column is not None and hasattr(self, "header") else None
        return PolisExportError(
            Problem(
                code,
                self.name,
                self.line,
                None if column is None else column + 1,
                name,
                dict(detail),
            )
        )

    def integer(self, row: list[str], column: str) -> int:
        i = self.column[column]
        raw = row[i].strip()
        try:
            return int(raw)
        except ValueError:
            raise self.error("not_integer", column=i, value=raw[:40]) from None

    def vote(self, raw: str, column: int) -> int:
        value = VOTE.get(raw)
        if value is None:
            value = VOTE.get(raw.strip())
            if value is None:
                raise self.error("bad_vote", column=column, value=raw.strip()[:40])
        return value

    def flag(self, row: list[str], column: str) -> bool:
        i = self.column[column]
        raw = row[i].strip().lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise self.error("bad_flag", column=i, value=raw[:40])

    def unused_columns(self, understood: set[str]) -> None:
        for i, name in enumerate(self.header):
            if name not in understood and name not in _DERIVED.get(self.role, set()):
                self.notices.add(
                    "column_ignored", self.name, 1, column=i + 1, column_name=name, name=name
                )


def check_convention(declared: str, file: str, line: int | None = None) -> None:
    """Refuse a vote-convention declaration other than Polis's export convention."""
    text = declared.strip()
    values: dict[str, str] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in {*CONVENTION, "format"} or key in values:
            raise PolisExportError(
                Problem("convention_malformed", file, line, detail={"declared": text[:80]})
            )
        values[key] = value.strip()
    if set(values) - {"format"} != set(CONVENTION):
        raise PolisExportError(
            Problem("convention_malformed", file, line, detail={"declared": text[:80]})
        )
    try:
        signs = {key: int(values[key]) for key in CONVENTION}
    except ValueError:
        raise PolisExportError(
            Problem("convention_malformed", file, line, detail={"declared": text[:80]})
        ) from None
    if signs != CONVENTION or values.get("format", FORMAT_ID) != FORMAT_ID:
        raise PolisExportError(
            Problem("convention_mismatch", file, line, detail={"declared": text[:80]})
        )

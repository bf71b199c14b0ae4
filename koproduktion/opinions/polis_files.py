"""Where the files of a Polis export come from: a directory, a ZIP archive or uploaded files.

Django-free. Every source yields the same ``ExportFiles``: one file per role (statements, vote
events, the participant × statement table, the summary with its vote convention), found by the
file's name whatever folder or prefix it carries, and the names that are not used. Nothing is
ever unpacked to disk and no name from an archive is used as a path, so a name such as
``../../etc/passwd`` is only a name. Sizes are counted while reading, not believed from the
archive's directory (which a ZIP bomb fills with small numbers): a file that unpacks past its
limit stops the reading with an error.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .polis_problems import PolisExportError, Problem

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANT_VOTES = "participants-votes.csv"
SUMMARY = "summary.csv"
FORMAT = "format.json"

# By the name's ending: Polis's own server calls the table "participant-votes.csv", its open data
# "participants-votes.csv"; downloads are sometimes prefixed with the conversation's name.
_ROLES = (
    ("participants-votes.csv", PARTICIPANT_VOTES),
    ("participant-votes.csv", PARTICIPANT_VOTES),
    ("comments.csv", COMMENTS),
    ("votes.csv", VOTES),
    ("summary.csv", SUMMARY),
    ("format.json", FORMAT),
)
# Files of a Polis export that the opinion map does not need (counts, history, importance).
UNUSED = (
    "stats-history.csv",
    "comment-groups.csv",
    "comment-clusters.csv",
    "participant-importance.csv",
)
MEGABYTE = 1024 * 1024
PROGRESS_STEP = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """How much an export may unpack to; ``None`` for no limit (the command line)."""

    file_bytes: int | None = None
    total_bytes: int | None = None
    zip_members: int = 64


NO_LIMITS = Limits()
# What staff may upload: one request of at most UPLOAD_MAX_BYTES (the web server's
# client_max_body_size in docs/deploy.md is 50 MB), a few files, and what they unpack to.
UPLOAD_MAX_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_FILES = 6
UPLOAD_LIMITS = Limits(file_bytes=250 * 1024 * 1024, total_bytes=400 * 1024 * 1024, zip_members=64)


def role_of(name: str) -> str | None:
    """The role of a file named ``name`` (a path inside an archive or a folder), or ``None``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for ending in UNUSED:
        if base == ending or base.endswith(("-" + ending, "_" + ending)):
            return None
    for ending, role in _ROLES:
        if base == ending or base.endswith(("-" + ending, "_" + ending)):
            return role
    return None


def _size_text(size: int) -> str:
    return f"{size / MEGABYTE:.0f} MB" if size >= MEGABYTE else f"{size} bytes"


@dataclass
class ReadCounter:
    """Bytes read from all files of an export, against its limit; reports progress."""

    limits: Limits
    total: int
    progress: Callable[[int, int], None] | None = None
    done: int = 0
    _reported: int = 0

    def count(self, n: int, file: str, file_done: int) -> None:
        self.done += n
        limit = self.limits.file_bytes
        if limit is not None and file_done > limit:
            raise PolisExportError(
                Problem("file_too_large", file, detail={"limit": _size_text(limit)})
            )
        limit = self.limits.total_bytes
        if limit is not None and self.done > limit:
            raise PolisExportError(
                Problem("export_too_large", file, detail={"limit": _size_text(limit)})
            )
        if self.progress is not None and self.done - self._reported >= PROGRESS_STEP:
            self._reported = self.done
            self.progress(self.done, max(self.total, self.done))


class _CountingReader(io.RawIOBase):
    """A binary stream that counts what passes through it and refuses zero bytes."""

    def __init__(self, raw: IO[bytes], name: str, counter: ReadCounter) -> None:
        self._raw = raw
        self._name = name
        self._counter = counter
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        try:
            chunk = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise PolisExportError(
                Problem("zip_unreadable", self._name, detail={"detail": str(exc)[:200]})
            ) from None
        n = len(chunk)
        if b"\x00" in chunk:
            raise PolisExportError(Problem("not_text", self._name))
        buffer[:n] = chunk
        self._done += n
        self._counter.count(n, self._name, self._done)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


@dataclass(frozen=True)
class ExportFile:
    name: str  # as messages name it
    role: str
    _open: Callable[[], IO[bytes]]
    declared_size: int

    def open_binary(self, counter: ReadCounter) -> IO[bytes]:
        return io.BufferedReader(_CountingReader(self._open(), self.name, counter))


@dataclass
class ExportFiles:
    """The files of one export by role, and the names of the files not used."""

    files: dict[str, ExportFile] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    limits: Limits = NO_LIMITS

    def add(
        self, name: str, opener: Callable[[], IO[bytes]], size: int, *, label: str | None = None
    ) -> None:
        """Take the file named ``name`` (messages call it ``label``) for its role, if it has one."""
        role = role_of(name)
        name = label or name
        if role is None:
            self.ignored.append(name)
            return
        if role in self.files:
            raise PolisExportError(
                Problem(
                    "duplicate_file",
                    name,
                    detail={"role": role, "first": self.files[role].name, "second": name},
                )
            )
        self.files[role] = ExportFile(name, role, opener, size)

    def get(self, role: str) -> ExportFile | None:
        return self.files.get(role)

    def declared_total(self) -> int:
        return sum(f.declared_size for f in self.files.values())


@contextmanager
def files_in_directory(path: str | Path) -> Iterator[ExportFiles]:
    """The export files in the directory ``path`` (not its subdirectories)."""
    directory = Path(path)
    if not directory.is_dir():
        raise PolisExportError(Problem("not_a_directory", str(directory)))
    found = ExportFiles()
    for entry in sorted(directory.iterdir()):
        if entry.is_file():
            found.add(entry.name, lambda entry=entry: entry.open("rb"), entry.stat().st_size)
    yield found


def _is_noise(name: str) -> bool:
    """Folders, and the files operating systems add to archives (macOS, Windows)."""
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return (
        name.endswith("/")
        or name.startswith("__MACOSX/")
        or base.startswith(".")
        or base.lower() in {"thumbs.db", "desktop.ini"}
    )


@contextmanager
def files_in_zip(
    source: str | Path | IO[bytes], *, name: str, limits: Limits
) -> Iterator[ExportFiles]:
    """The export files in a ZIP archive; ``name`` is what messages call the archive.

    Refused before reading a byte of content: what is not a ZIP, encrypted members, more than
    ``limits.zip_members`` entries, and members whose declared size already exceeds the limits.
    Declared sizes may lie; ``ExportFile.open_binary`` counts what really comes out.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise PolisExportError(Problem("not_a_zip", name)) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.zip_members:
            raise PolisExportError(
                Problem("zip_too_many_files", name, detail={"limit": limits.zip_members})
            )
        found = ExportFiles(limits=limits)
        for member in members:
            if _is_noise(member.filename):
                continue
            label = f"{name}: {member.filename}"
            if member.flag_bits & 0x1:
                raise PolisExportError(Problem("zip_encrypted", label))
            if limits.file_bytes is not None and member.file_size > limits.file_bytes:
                raise PolisExportError(
                    Problem(
                        "file_too_large", label, detail={"limit": _size_text(limits.file_bytes)}
                    )
                )
            found.add(
                member.filename,
                lambda member=member: archive.open(member),
                member.file_size,
                label=label,
            )
        if limits.total_bytes is not None and found.declared_total() > limits.total_bytes:
            raise PolisExportError(
                Problem("export_too_large", name, detail={"limit": _size_text(limits.total_bytes)})
            )
        yield found


@contextmanager
def files_of_upload(
    stored: list[tuple[str, Callable[[], IO[bytes]], int]], *, limits: Limits
) -> Iterator[ExportFiles]:
    """Uploaded files as (the name the person gave, how to open what was stored, its size).

    A single file named ``….zip`` (or holding a ZIP) is opened as an archive; otherwise each
    file is taken for the role its name gives.
    """
    if len(stored) == 1:
        given, opener, _size = stored[0]
        with opener() as handle:
            if given.lower().endswith(".zip") or zipfile.is_zipfile(handle):
                handle.seek(0)
                with files_in_zip(handle, name=given, limits=limits) as found:
                    yield found
                return
    found = ExportFiles(limits=limits)
    for given, opener, size in stored:
        found.add(given, opener, size)
    yield found

"""What the import page checks of an upload before it is stored, in the request.

Only what is quick: how many files and how large, whether each is a file of a Polis export or
one ZIP archive (read from its bytes, not its name or the browser's word), the archive's
directory (encrypted members, too many, declared sizes past the limits), that the first bytes
of each CSV are UTF-8 text, and that the statements and the votes are there. Reading every
line is the background import's work; its report names whatever else is broken. Nothing is
unpacked here.
"""

from __future__ import annotations

import codecs
import zipfile

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .import_messages import full
from .polis_files import (
    COMMENTS,
    PARTICIPANT_VOTES,
    UNUSED,
    UPLOAD_LIMITS,
    UPLOAD_MAX_BYTES,
    UPLOAD_MAX_FILES,
    VOTES,
    ExportFiles,
    files_in_zip,
    role_of,
)
from .polis_problems import PolisExportError, Problem

SNIFF_BYTES = 64 * 1024


def _is_zip(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        return zipfile.is_zipfile(upload)
    finally:
        upload.seek(0)


def _sniff(upload: UploadedFile) -> Problem | None:
    """The first bytes of a CSV: text without zero bytes, in UTF-8."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if b"\x00" in head:
        return Problem("not_text", upload.name)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        byte = head[exc.start : exc.start + 1].hex().upper()
        return Problem("not_utf8", upload.name, line, detail={"byte": f"0x{byte}"})
    return None


def check_upload(files: list[UploadedFile]) -> list[str]:  # noqa: PLR0911 - one reason per check, in order
    """Why these files cannot be imported, one sentence each; empty if they may be."""
    if len(files) > UPLOAD_MAX_FILES:
        return [_("Bitte höchstens %(count)d Dateien auf einmal.") % {"count": UPLOAD_MAX_FILES}]
    total = sum(upload.size or 0 for upload in files)
    if total > UPLOAD_MAX_BYTES:
        return [
            _("Die Dateien sind zusammen größer als %(size)s.")
            % {"size": filesizeformat(UPLOAD_MAX_BYTES)}
        ]
    archives = [
        upload
        for upload in files
        if (upload.name or "").lower().endswith(".zip") or _is_zip(upload)
    ]
    if archives and len(files) > 1:
        return [_("Bitte laden Sie ein ZIP-Archiv allein hoch, ohne weitere Dateien.")]
    try:
        if archives:
            with files_in_zip(archives[0], name=archives[0].name, limits=UPLOAD_LIMITS) as found:
                roles = set(found.files)
            archives[0].seek(0)
        else:
            roles = _roles_of_csv_files(files)
    except PolisExportError as error:
        return [full(error.problem.to_dict())]
    if isinstance(roles, list):
        return roles
    if COMMENTS not in roles:
        return [full(Problem("missing_comments", "").to_dict())]
    if VOTES not in roles and PARTICIPANT_VOTES not in roles:
        return [full(Problem("missing_votes", "").to_dict())]
    return []


def _roles_of_csv_files(files: list[UploadedFile]) -> set[str] | list[str]:
    found = ExportFiles(limits=UPLOAD_LIMITS)
    problems = []
    for upload in files:
        name = upload.name or ""
        if role_of(name) is None and not name.lower().endswith(UNUSED):
            problems.append(full(Problem("unknown_file", name).to_dict()))
            continue
        found.add(name, lambda upload=upload: upload.open("rb"), upload.size or 0)
        if name.lower().endswith(".csv") and (problem := _sniff(upload)):
            problems.append(full(problem.to_dict()))
    return problems or set(found.files)

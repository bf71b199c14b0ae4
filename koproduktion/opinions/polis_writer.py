"""A project's conversation in Polis's own export format, as files or a ZIP written as it goes.

The files and columns of Polis's report export (docs/opinion-map.md, "Export"):
``comments.csv``, ``votes.csv`` (one row per person and statement: the latest vote; the time is
that of the latest change, in milliseconds as in Polis's open data), ``participants-votes.csv``
(the groups of the latest computation as ``group-id``), ``summary.csv`` with the vote convention
and ``format.json``. Agree = 1, disagree = -1, pass = 0. ``is-meta`` (comments) and ``xid``
(participants) are written only where a statement is meta or a participant has one; Polis's own
readers go by column names and pass over them. So ``polis_export`` reads back exactly what
was written, and the same votes give the same groups.

Ids: an imported statement or participant keeps its Polis id; the others get their row's id
plus one more than the largest imported id, so no two share an id. The ZIP is produced row by
row (``stream_zip``), so a large conversation is never held in memory whole.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from koproduktion.core.csv_export import csv_cell

from .models import OpinionMap, Participant, Statement, StatementVote

MODERATED = {
    Statement.Status.ACCEPTED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.REJECTED: -1,
}
CONVENTION = "agree=+1;disagree=-1;pass=0;format=polis-export/1"
FORMAT_DOCUMENT = {
    "format": "polis-export/1",
    "vote-convention": CONVENTION,
    "vote": {"agree": 1, "disagree": -1, "pass": 0},
}
_CHUNK = 10_000


def _ids(rows: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Export id by primary key: an imported number stays, the rest follow after the largest."""
    rows = list(rows)
    imported = {pk: int(ext) for pk, ext in rows if ext.isdigit()}
    offset = max(imported.values(), default=-1) + 1
    return {pk: imported.get(pk, offset + pk) for pk, _ext in rows}


def _line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _millis(when: datetime.datetime) -> int:
    return round(when.timestamp() * 1000)


def _datetime(when: datetime.datetime) -> str:
    # Polis's open data spells its times like Java's Date.toString(), in the server's zone.
    return when.astimezone(datetime.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


@dataclass
class Conversation:
    """What the files are written from; the votes themselves are read as they are written."""

    project_id: int
    title: str
    description: str
    url: str
    statement_id: dict[int, int]
    participant_id: dict[int, int]
    xids: dict[int, str]
    group_of: dict[int, int]
    clustered: int


def conversation(*, opinion_map: OpinionMap, url: str = "") -> Conversation:
    project = opinion_map.project
    participants = list(
        Participant.objects.filter(project_id=project.pk).values_list("pk", "external_id", "xid")
    )
    result = opinion_map.result or {}
    return Conversation(
        project_id=project.pk,
        title=project.title,
        description=project.summary,
        url=url,
        statement_id=_ids(
            Statement.objects.filter(project_id=project.pk).values_list("pk", "external_id")
        ),
        participant_id=_ids((pk, ext) for pk, ext, _xid in participants),
        xids={pk: xid for pk, _ext, xid in participants if xid},
        group_of={pk: g["id"] for g in result.get("groups", []) for pk in g["members"]},
        clustered=len(result.get("participants", [])),
    )


def comments_csv(c: Conversation) -> Iterator[str]:
    statements = (
        Statement.objects.filter(project_id=c.project_id)
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=1)),
            disagrees=Count("votes", filter=Q(votes__value=-1)),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "text",
            "status",
            "is_meta",
            "created_at",
            "external_author",
            "author_id",
            "agrees",
            "disagrees",
        )
    )
    rows = list(statements)
    authors = dict(
        Participant.objects.filter(
            project_id=c.project_id, user_id__in={r[6] for r in rows if r[6]}
        ).values_list("user_id", "pk")
    )
    with_meta = any(r[3] for r in rows)
    header = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees"]
    header += ["moderated", *(["is-meta"] if with_meta else []), "comment-body"]
    yield _line(header)
    for pk, text, status, meta, created, external_author, author, agrees, disagrees in rows:
        author_id = external_author
        if not author_id and author in authors:
            author_id = str(c.participant_id[authors[author]])
        values = [_millis(created), _datetime(created), c.statement_id[pk], csv_cell(author_id)]
        values += [agrees, disagrees, MODERATED[status]]
        # Statements are residents' text: a spreadsheet must not run one as a formula.
        values += [*(["true" if meta else "false"] if with_meta else []), csv_cell(text)]
        yield _line(values)


def _votes(c: Conversation, order: tuple[str, ...]) -> Iterator[tuple]:
    return (
        StatementVote.objects.filter(project_id=c.project_id)
        .order_by(*order)
        .values_list("participant_id", "statement_id", "value", "updated_at")
        .iterator(chunk_size=_CHUNK)
    )


def votes_csv(c: Conversation) -> Iterator[str]:
    yield _line(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
    for participant, statement, value, updated in _votes(c, ("statement_id", "participant_id")):
        yield _line(
            [
                _millis(updated),
                _datetime(updated),
                c.statement_id[statement],
                c.participant_id[participant],
                value,
            ]
        )


def participants_votes_csv(c: Conversation) -> Iterator[str]:
    columns = sorted(c.statement_id.values())
    index = {sid: i for i, sid in enumerate(columns)}
    authored = dict(
        Statement.objects.filter(project_id=c.project_id)
        .exclude(external_author="")
        .values_list("external_author")
        .annotate(n=Count("pk"))
    )
    with_xid = bool(c.xids)
    head = ["participant", *(["xid"] if with_xid else []), "group-id", "n-comments"]
    yield _line([*head, "n-votes", "n-agree", "n-disagree", *columns])

    def row(pk: int, cells: list[Any]) -> str:
        votes = [v for v in cells if v != ""]
        pid = c.participant_id[pk]
        values = [pid, *([c.xids.get(pk, "")] if with_xid else [])]
        values += [c.group_of.get(pk, ""), authored.get(str(pid), 0), len(votes)]
        values += [votes.count(1), votes.count(-1), *cells]
        return _line(values)

    current, cells = None, [""] * len(columns)
    for participant, statement, value, _when in _votes(c, ("participant_id", "statement_id")):
        if participant != current:
            if current is not None:
                yield row(current, cells)
            current, cells = participant, [""] * len(columns)
        cells[index[c.statement_id[statement]]] = value
    if current is not None:
        yield row(current, cells)


def summary_csv(c: Conversation) -> Iterator[str]:
    voters = (
        StatementVote.objects.filter(project_id=c.project_id)
        .values("participant_id")
        .distinct()
        .count()
    )
    commenters = (
        Statement.objects.filter(project_id=c.project_id)
        .exclude(external_author="", author__isnull=True)
        .values("external_author", "author_id")
        .distinct()
        .count()
    )
    for key, value in (
        ("topic", c.title),
        ("url", c.url),
        ("voters", voters),
        ("voters-in-conv", c.clustered),
        ("commenters", commenters),
        ("comments", len(c.statement_id)),
        ("groups", len(set(c.group_of.values()))),
        ("conversation-description", c.description),
        ("vote-convention", CONVENTION),
    ):
        yield _line([key, csv_cell(value)])


def export_files(c: Conversation) -> list[tuple[str, Iterator[str]]]:
    """The files of the export, each as lines written when asked for."""
    return [
        ("format.json", iter([json.dumps(FORMAT_DOCUMENT, indent=2) + "\n"])),
        ("summary.csv", summary_csv(c)),
        ("comments.csv", comments_csv(c)),
        ("votes.csv", votes_csv(c)),
        ("participants-votes.csv", participants_votes_csv(c)),
    ]


class _Pipe:
    """Where the ZIP writes; what was written is taken out as it comes (no seeking)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


def stream_zip(
    files: list[tuple[str, Iterator[str]]], *, chunk: int = 64 * 1024
) -> Iterator[bytes]:
    """A ZIP of ``files``, yielded in pieces while the lines are written."""
    pipe = _Pipe()
    stamp = datetime.datetime.now(tz=datetime.UTC).timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for name, lines in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for line in lines:
                    member.write(line.encode("utf-8"))
                    if pipe.size >= chunk:
                        yield pipe.take()
            yield pipe.take()
    yield pipe.take()

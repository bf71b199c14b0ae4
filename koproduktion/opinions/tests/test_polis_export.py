"""Reading Polis exports of every shape: small synthetic files, one per difference between
Polis versions and deployments, and the broken files that must be refused with file, line and
column."""

import io
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from koproduktion.opinions.polis_export import (
    SAMPLE_CONVERSATIONS,
    PolisExportError,
    read_polis_export,
    read_polis_files,
)
from koproduktion.opinions.polis_files import Limits, files_in_zip, files_of_upload

T = 1_403_054_214_000  # a time in June 2014, in milliseconds as in Polis's open data
COMMENTS = f"""timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
{T},x,0,5,1,0,1,Mehr Bänke am Marktplatz
{T + 1},x,1,6,0,1,-1,"Spam, mit Komma
und Zeilenumbruch"
{T + 2},x,2,5,0,0,0,Radweg
"""
VOTES = f"""timestamp,datetime,comment-id,voter-id,vote
{T + 10},x,0,5,1
{T + 11},x,1,5,-1
{T + 12},x,0,7,-1
{T + 20},x,0,5,0
"""
PARTICIPANTS = """participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2
5,0,2,2,0,1,0,-1,
7,,0,1,0,1,-1,,
"""


def _write(tmp_path: Path, **files: str | bytes) -> Path:
    for key, content in files.items():
        name = key.replace("_", "-").replace("-csv", ".csv").replace("-json", ".json")
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


def _cells(export) -> set[tuple[int, int, int]]:
    matrix, pids, sids, _mod_out = export.vote_matrix()
    return {
        (int(pids[p]), int(sids[s]), int(v))
        for p, s, v in zip(matrix.participant, matrix.statement, matrix.value, strict=True)
    }


def _notices(export) -> dict[str, int]:
    return {n.problem.code: n.count for n in export.notices}


def test_reads_statements_votes_and_groups(tmp_path):
    export = read_polis_export(
        _write(
            tmp_path, comments_csv=COMMENTS, votes_csv=VOTES, participants_votes_csv=PARTICIPANTS
        )
    )
    assert [s.id for s in export.statements] == [0, 1, 2]
    assert export.statements[1].text == "Spam, mit Komma\nund Zeilenumbruch"
    assert export.statements[1].moderated_out
    assert not export.statements[2].moderated_out
    assert export.statements[0].created == T
    assert export.value.tolist() == [1, -1, -1, 0]
    assert export.timestamp.tolist() == [T + 10, T + 11, T + 12, T + 20]
    assert export.group_ids == {5: 0}
    _matrix, pids, sids, mod_out = export.vote_matrix()
    assert pids.tolist() == [5, 7]
    assert sids.tolist() == [0, 1, 2]
    assert mod_out.tolist() == [False, True, False]
    # participant 5's later pass wins
    assert _cells(export) == {(5, 0, 0), (5, 1, -1), (7, 0, -1)}
    assert export.notices == ()


def test_only_the_participant_table(tmp_path):
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, participants_votes_csv=PARTICIPANTS)
    )
    assert export.timestamp is None
    assert _cells(export) == {(5, 0, 0), (5, 1, -1), (7, 0, -1)}


def test_named_columns_before_and_between_the_statements_and_an_xid(tmp_path):
    table = """participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,party,2,1
5,abc-123,1,0,2,0,1,0,green,,-1
7,,0,0,1,0,1,-1,,,
9,x@example.org,,0,1,1,0,,,1,
"""
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, participants_votes_csv=table)
    )
    assert _cells(export) == {(5, 0, 0), (5, 1, -1), (7, 0, -1), (9, 2, 1)}
    assert export.xids == {5: "abc-123", 9: "x@example.org"}
    assert export.group_ids == {5: 1, 7: 0}
    [ignored] = export.notices
    assert ignored.problem.code == "column_ignored"
    assert str(ignored.problem) == (
        "participants-votes.csv, line 1, column 9 (party): the column is not used"
    )


def test_polis_servers_own_file_names_and_prefixes(tmp_path):
    _write(tmp_path, comments_csv=COMMENTS)
    (tmp_path / "comments.csv").rename(tmp_path / "2demo-comments.csv")
    (tmp_path / "participant-votes.csv").write_text(PARTICIPANTS, encoding="utf-8")
    (tmp_path / "stats-history.csv").write_text("n-votes\n1\n", encoding="utf-8")
    export = read_polis_export(tmp_path)
    assert len(export.value) == 3
    assert _notices(export) == {"file_ignored": 1}


def test_statement_ids_with_gaps_and_a_meta_statement(tmp_path):
    comments = f"""timestamp,comment-id,author-id,moderated,is-meta,comment-body
{T},3,1,1,false,Erste
{T},17,1,1,true,Wie finden Sie diese Umfrage?
{T},1004,2,-1,false,Aussortiert
"""
    votes = f"""timestamp,datetime,comment-id,voter-id,vote
{T},x,3,0,1
{T},x,17,0,0
{T},x,1004,12,-1
"""
    export = read_polis_export(_write(tmp_path, comments_csv=comments, votes_csv=votes))
    assert [s.id for s in export.statements] == [3, 17, 1004]
    assert [s.is_meta for s in export.statements] == [False, True, False]
    assert [s.moderated_out for s in export.statements] == [False, False, True]
    _matrix, _pids, sids, mod_out = export.vote_matrix()
    assert sids.tolist() == [3, 17, 1004]
    assert mod_out.tolist() == [False, False, True]


def test_newer_exports_count_time_in_seconds(tmp_path):
    seconds = T // 1000
    comments = COMMENTS.replace(str(T), str(seconds)).replace(str(T + 1), str(seconds + 1))
    comments = comments.replace(str(T + 2), str(seconds + 2))
    votes = VOTES
    for k in (10, 11, 12, 20):
        votes = votes.replace(str(T + k), str(seconds + k))
    export = read_polis_export(_write(tmp_path, comments_csv=comments, votes_csv=votes))
    assert export.timestamp.tolist() == [(seconds + k) * 1000 for k in (10, 11, 12, 20)]
    assert export.statements[0].created == seconds * 1000
    assert [(n.problem.code, n.problem.file) for n in export.notices] == [
        ("timestamps_in_seconds", "comments.csv"),
        ("timestamps_in_seconds", "votes.csv"),
    ]


def test_old_exports_with_an_unquoted_body_holding_commas(tmp_path):
    comments = f"""timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
{T},x,0,5,1,0,1,Bänke, Bäume und Licht
{T},x,1,5,1,0,1,Radweg
"""
    export = read_polis_export(_write(tmp_path, comments_csv=comments, votes_csv=VOTES))
    assert export.statements[0].text == "Bänke, Bäume und Licht"


def test_votes_in_the_databases_sign_are_read_with_the_tables_sign(tmp_path):
    rows = [f"{T + i},x,{i % 3},{100 + i},{1 if i % 2 else -1}" for i in range(12)]
    votes = "timestamp,datetime,comment-id,voter-id,vote\n" + "\n".join(rows) + "\n"
    table = "participant,group-id,0,1,2\n" + "".join(
        f"{100 + i},,"
        + ",".join(str(-1 if i % 2 else 1) if s == i % 3 else "" for s in range(3))
        + "\n"
        for i in range(12)
    )
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, votes_csv=votes, participants_votes_csv=table)
    )
    assert export.value.tolist() == [1 if i % 2 == 0 else -1 for i in range(12)]
    [flipped] = export.notices
    assert flipped.problem.code == "sign_flipped"
    assert flipped.problem.detail["count"] == 12


def test_a_few_differences_between_the_two_files_are_named(tmp_path):
    table = PARTICIPANTS.replace("7,,0,1,0,1,-1,,", "7,,0,1,0,1,1,,")
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, votes_csv=VOTES, participants_votes_csv=table)
    )
    assert export.value.tolist() == [1, -1, -1, 0]  # votes.csv, with its times, counts
    assert [str(n.problem) for n in export.notices] == [
        "votes.csv: 1 of 3 latest votes differ from participants-votes.csv; the votes of this "
        "file (with their times) are used"
    ]


def test_votes_on_unknown_statements_are_skipped_with_their_lines(tmp_path):
    votes = VOTES + f"{T + 30},x,9,7,1\n{T + 31},x,9,8,1\n{T + 32},x,44,8,0\n"
    table = PARTICIPANTS.replace(",0,1,2\n", ",0,1,2,9\n", 1).replace("-1,\n", "-1,,1\n")
    table = table.replace("-1,,\n", "-1,,,\n")
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, votes_csv=votes, participants_votes_csv=table)
    )
    assert len(export.value) == 4
    by_code = {n.problem.code: n for n in export.notices}
    assert by_code["vote_on_unknown_statement"].count == 3
    assert by_code["vote_on_unknown_statement"].lines == (6, 7, 8)
    column = by_code["column_of_unknown_statement"].problem
    assert (column.line, column.column, column.column_name) == (1, 10, "9")


def test_empty_exports(tmp_path):
    header_only = "timestamp,datetime,comment-id,voter-id,vote\n"
    export = read_polis_export(_write(tmp_path, comments_csv=COMMENTS, votes_csv=header_only))
    assert len(export.value) == 0
    assert len(export.statements) == 3
    # A file Polis never wrote (no header) beside the other votes file: the other one is read.
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, votes_csv="", participants_votes_csv=PARTICIPANTS)
    )
    assert len(export.value) == 3
    assert _notices(export) == {"empty_votes_file": 1}
    participant_row_without_votes = PARTICIPANTS + "8,,0,0,0,0,,,\n"
    export = read_polis_export(
        _write(
            tmp_path,
            comments_csv=COMMENTS,
            votes_csv=VOTES,
            participants_votes_csv=participant_row_without_votes,
        )
    )
    assert _notices(export) == {"participant_without_votes": 1}


def test_a_declared_vote_convention(tmp_path):
    summary = "topic,Test\nurl,https://pol.is/x\nvote-convention,agree=+1;disagree=-1;pass=0;format=polis-export/1\n"
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, votes_csv=VOTES, summary_csv=summary)
    )
    assert _notices(export) == {"convention_declared": 1}
    declared_first = "# vote-convention: pass=0;agree=1;disagree=-1\n" + VOTES
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, votes_csv=declared_first, summary_csv="topic,x\n")
    )
    assert len(export.value) == 4


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"votes_csv": VOTES}, "no comments.csv (the statements) in the export"),
        ({"comments_csv": COMMENTS}, "neither votes.csv nor participants-votes.csv"),
        ({"comments_csv": "", "votes_csv": VOTES}, "comments.csv: the file is empty (no header)"),
        ({"comments_csv": COMMENTS, "votes_csv": ""}, "votes.csv: the file is empty (no header)"),
        (
            {"comments_csv": COMMENTS.replace("comment-body", "text"), "votes_csv": VOTES},
            "comments.csv, line 1: missing column 'comment-body'",
        ),
        (
            {
                "comments_csv": COMMENTS.replace(f"{T + 2},x,2,5", f"{T + 2},x,two,5"),
                "votes_csv": VOTES,
            },
            "comments.csv, line 5, column 3 (comment-id): 'two' is not a whole number",
        ),
        (
            {
                "comments_csv": COMMENTS.replace(f"{T + 2},x,2,5", f"{T + 2},x,0,5"),
                "votes_csv": VOTES,
            },
            "comments.csv, line 5, column 3 (comment-id): comment-id 0 appears twice",
        ),
        (
            {
                "comments_csv": COMMENTS.replace(",0,0,0,Radweg", ",0,0,7,Radweg"),
                "votes_csv": VOTES,
            },
            "comments.csv, line 5, column 7 (moderated): '7' is not one of -1, 0, 1",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "votes_csv": VOTES.replace(f"{T + 12},x,0,7,-1", f"{T + 12},x,0,7,2"),
            },
            "votes.csv, line 4, column 5 (vote): '2' is not one of -1, 0, 1",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace(",1,5,-1", ",1,five,-1")},
            "votes.csv, line 3, column 4 (voter-id): 'five' is not a whole number",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace(",1,5,-1", ",1,5")},
            "votes.csv, line 3: expected 5 fields, found 4",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace(",1,5,-1", ',1,"5,-1')},
            "votes.csv, line 3: not valid CSV (unexpected end of data)",
        ),
        (
            {
                "comments_csv": COMMENTS.replace("Radweg", "Straße").encode("cp1252"),
                "votes_csv": VOTES,
            },
            "comments.csv, line 2: not UTF-8 text (byte 0xE4 cannot be read)",
        ),
        (
            {"comments_csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "votes_csv": VOTES},
            "comments.csv: this is not a CSV text file",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "participants_votes_csv": PARTICIPANTS.replace("7,,0,1,0,1,-1", "7,,0,1,0,1,3"),
            },
            "participants-votes.csv, line 3, column 7 (0): '3' is not one of -1, 0, 1",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "participants_votes_csv": PARTICIPANTS.replace("7,,", "5,,"),
            },
            "participants-votes.csv, line 3, column 1 (participant): participant 5 appears twice",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "participants_votes_csv": PARTICIPANTS.replace(",1,2\n", ",1,1\n", 1),
            },
            "participants-votes.csv, line 1, column 9 (1): column '1' appears twice",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "votes_csv": VOTES,
                "summary_csv": "topic,x\nvote-convention,agree=-1;disagree=+1;pass=0\n",
            },
            "summary.csv, line 2: the votes are declared in another sign convention",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "votes_csv": VOTES,
                "format_json": '{"format": "polis-export/2"}',
            },
            "format.json: the votes are declared in another sign convention (polis-export/2)",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": "# vote-convention: agree=yes\n" + VOTES},
            "votes.csv, line 1: the declaration of the vote convention cannot be read",
        ),
    ],
)
def test_broken_files_are_refused_naming_file_line_and_column(tmp_path, files, message):
    with pytest.raises(PolisExportError) as excinfo:
        read_polis_export(_write(tmp_path, **files))
    assert message in str(excinfo.value)


def test_not_a_directory(tmp_path):
    with pytest.raises(PolisExportError, match="not a directory"):
        read_polis_export(tmp_path / "missing")


def test_real_export_reads_completely():
    path = SAMPLE_CONVERSATIONS / "15-per-hour-seattle"
    export = read_polis_export(path)
    assert len(export.statements) == 54
    assert len(export.value) == 2995
    assert len(np.unique(export.participant)) == 339
    assert export.notices == ()


# ZIP archives and uploads


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


LIMITS = Limits(file_bytes=10_000, total_bytes=20_000, zip_members=8)


def _read_zip(data: bytes, limits: Limits = LIMITS):
    with files_in_zip(io.BytesIO(data), name="export.zip", limits=limits) as files:
        return read_polis_files(files)


def test_a_zip_with_the_export_in_a_folder(tmp_path):
    data = _zip(
        {
            "export/comments.csv": COMMENTS,
            "export/votes.csv": VOTES,
            "export/participants-votes.csv": PARTICIPANTS,
            "__MACOSX/export/._comments.csv": b"\x00\x05\x16\x07",
            "export/summary.csv": "topic,x\n",
        }
    )
    export = _read_zip(data)
    assert len(export.value) == 4
    assert export.group_ids == {5: 0}


def test_names_in_a_zip_are_never_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = _zip({"../../comments.csv": COMMENTS, "/etc/votes.csv": VOTES})
    export = _read_zip(data)
    assert len(export.value) == 4
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent.parent / "comments.csv").exists()


def _lying_zip() -> bytes:
    """A ZIP whose directory says its 100 kB member is 100 bytes (as ZIP bombs do)."""
    data = bytearray(_zip({"comments.csv": COMMENTS + "x" * 100_000, "votes.csv": VOTES}))
    real = len(COMMENTS.encode()) + 100_000
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        assert struct.unpack_from("<I", data, start + offset)[0] == real
        struct.pack_into("<I", data, start + offset, 100)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "export.zip: not a ZIP archive"),
        (
            _zip({"comments.csv": COMMENTS + "x" * 20_000, "votes.csv": VOTES}),
            "export.zip: comments.csv: the file is larger than 10000 bytes when unpacked",
        ),
        (
            _zip(
                {
                    "comments.csv": COMMENTS + "\n" * 9_000,
                    "votes.csv": VOTES + "\n" * 9_000,
                    "participants-votes.csv": PARTICIPANTS + "\n" * 9_000,
                }
            ),
            "export.zip: the export is larger than 20000 bytes when unpacked",
        ),
        (_zip({f"f{i}.csv": "" for i in range(9)}), "holds more than 8 files"),
        (
            _zip({"a/comments.csv": COMMENTS, "b/comments.csv": COMMENTS}),
            "two files for comments.csv: export.zip: a/comments.csv and export.zip: b/comments.csv",
        ),
    ],
)
def test_broken_or_hostile_zips_are_refused(data, message):
    with pytest.raises(PolisExportError) as excinfo:
        _read_zip(data)
    assert message in str(excinfo.value)


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_reading():
    with pytest.raises(PolisExportError) as excinfo:
        _read_zip(_lying_zip())
    assert excinfo.value.problem.code in {"file_too_large", "zip_unreadable"}


def test_an_encrypted_zip_is_refused():
    data = bytearray(_zip({"comments.csv": COMMENTS, "votes.csv": VOTES}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        flags = struct.unpack_from("<H", data, start + offset)[0]
        struct.pack_into("<H", data, start + offset, flags | 0x1)
    with pytest.raises(PolisExportError, match=r"comments\.csv: the ZIP archive is encrypted"):
        _read_zip(bytes(data))


def _stored(tmp_path: Path, given: str, content: bytes | str) -> tuple:
    path = tmp_path / f"upload-{len(list(tmp_path.iterdir()))}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return (given, lambda: path.open("rb"), path.stat().st_size)


def test_uploaded_files_by_their_given_names(tmp_path):
    stored = [
        _stored(tmp_path, "Kommentare-comments.csv", COMMENTS),
        _stored(tmp_path, "votes.csv", VOTES),
    ]
    with files_of_upload(stored, limits=LIMITS) as files:
        export = read_polis_files(files)
    assert len(export.value) == 4
    archive = _stored(tmp_path, "polis.zip", _zip({"comments.csv": COMMENTS, "votes.csv": VOTES}))
    with files_of_upload([archive], limits=LIMITS) as files:
        assert len(read_polis_files(files).value) == 4
    fake = _stored(tmp_path, "polis.zip", COMMENTS)
    with (
        pytest.raises(PolisExportError, match="not a ZIP"),
        files_of_upload([fake], limits=LIMITS) as files,
    ):
        read_polis_files(files)


def test_progress_is_reported_as_the_bytes_are_read(tmp_path):
    big = VOTES + "".join(f"{T + 100 + i},x,{i % 3},{1000 + i},1\n" for i in range(40_000))
    _write(tmp_path, comments_csv=COMMENTS, votes_csv=big)
    reported = []
    from koproduktion.opinions.polis_files import files_in_directory  # noqa: PLC0415

    with files_in_directory(tmp_path) as files:
        export = read_polis_files(
            files, progress=lambda done, total: reported.append((done, total))
        )
    assert len(export.value) == 40_004
    assert reported
    assert all(done <= total for done, total in reported)
    assert reported == sorted(reported)

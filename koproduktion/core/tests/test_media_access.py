"""An uploaded file reaches only those who may see the record it belongs to.

A draft project's documents, the minutes of a decision about a draft, the photos of a draft's
progress reports were served under /media/ to anyone who knew or guessed the address (file names
were the names as uploaded, under the year). Now the address of a file is looked up to its record
and that record's rule is asked; a file no record names is nobody's. New files are stored under a
random folder, so the address of one is not guessed from its name either.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from koproduktion.core.roles import Role
from koproduktion.core.tests import samples
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.decisions.models import Body, Outcome
from koproduktion.decisions.services import decision_record
from koproduktion.implementation.services import update_post
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import document_add
from koproduktion.projects.tests.factories import ProjectFactory, staff_of

pytestmark = pytest.mark.django_db

FILE_POLICY = "default-src 'none'; sandbox"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _document(project, staff) -> str:
    return document_add(
        project=project, title="Lageplan", file=samples.upload("lageplan.pdf", samples.PDF)
    ).file.url


def _minutes(project, staff, *, municipality=None) -> str:
    return decision_record(
        actor=staff,
        municipality=municipality or project.municipality,
        project=project,
        title="Radweg",
        body=Body.COUNCIL,
        decided_on=datetime.date(2026, 3, 1),
        outcome=Outcome.ADOPTED,
        reasons="Weil es sicherer ist.",
        minutes=samples.upload("protokoll.pdf", samples.PDF),
    ).minutes.url


def _photo(project, staff) -> str:
    update = update_post(
        actor=staff,
        project=project,
        text="Die Bäume stehen.",
        photos=[(samples.upload("baum.jpg", samples.image("JPEG"), "image/jpeg"), "Ein Baum")],
    )
    return update.photos.get().image.url


FILES: dict[str, Callable] = {"document": _document, "minutes": _minutes, "photo": _photo}


@dataclass
class World:
    project: object
    staff: object
    other_town_staff: object


def _world(*, published: bool, town_public: bool = True) -> World:
    municipality = MunicipalityFactory(is_public=town_public)
    project = ProjectFactory(
        municipality=municipality, phase=PhaseKind.IMPLEMENTATION, is_published=published
    )
    return World(
        project=project,
        staff=staff_of(project),
        other_town_staff=person_with_role(MunicipalityFactory(), Role.STAFF),
    )


VIEWERS = {
    "anonymous": lambda world: None,
    "resident": lambda world: person_with_role(world.project.municipality, Role.RESIDENT),
    "moderator": lambda world: person_with_role(world.project.municipality, Role.MODERATOR),
    "council": lambda world: person_with_role(world.project.municipality, Role.COUNCIL),
    "staff of another town": lambda world: world.other_town_staff,
    "staff": lambda world: world.staff,
    "town admin": lambda world: person_with_role(world.project.municipality, Role.ADMIN),
    "platform admin": lambda world: UserFactory(is_superuser=True, is_staff=True),
}
# Who may see a draft: the town's administration and platform admins (``projects.can_view``).
SEES_DRAFTS = {"staff", "town admin", "platform admin"}


def _fetch(client, viewer, url: str):
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url)


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_draft_projects_files_reach_only_its_administration(client, kind, viewer):
    world = _world(published=False)
    url = FILES[kind](world.project, world.staff)
    response = _fetch(client, VIEWERS[viewer](world), url)
    if viewer in SEES_DRAFTS:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == FILE_POLICY
        # Not for a shared cache: another visitor may not see it.
        assert "private" in response["Cache-Control"]
    else:
        # As if it did not exist: nothing tells that the address names a file.
        assert response.status_code == 404


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_published_projects_files_reach_everyone(client, kind, viewer):
    world = _world(published=True)
    url = FILES[kind](world.project, world.staff)
    response = _fetch(client, VIEWERS[viewer](world), url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.parametrize("kind", FILES)
def test_files_of_a_town_not_yet_public_reach_only_its_administration(client, kind):
    world = _world(published=True, town_public=False)
    url = FILES[kind](world.project, world.staff)
    assert client.get(url).status_code == 404
    assert _fetch(client, world.staff, url).status_code == 200


@pytest.mark.parametrize("kind", FILES)
def test_a_file_unpublished_later_is_withdrawn_at_once(client, kind):
    world = _world(published=True)
    url = FILES[kind](world.project, world.staff)
    assert client.get(url).status_code == 200
    type(world.project).objects.filter(pk=world.project.pk).update(is_published=False)
    assert client.get(url).status_code == 404


def test_a_file_that_no_record_names_is_nobodys(client, tmp_path):
    world = _world(published=True)
    document = document_add(
        project=world.project, title="Plan", file=samples.upload("plan.pdf", samples.PDF)
    )
    url = document.file.url
    document.delete()  # the file stays on disk
    assert (tmp_path / document.file.name).is_file()
    assert client.get(url).status_code == 404
    # Nor files that came into the folder some other way.
    (tmp_path / "notizen.pdf").write_bytes(samples.PDF)
    assert client.get("/media/notizen.pdf").status_code == 404


def test_a_decision_about_no_project_has_public_minutes_in_a_public_town(client):
    municipality = MunicipalityFactory()
    url = _minutes(None, person_with_role(municipality, Role.STAFF), municipality=municipality)
    assert client.get(url).status_code == 200
    municipality.is_public = False
    municipality.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", FILES)
def test_new_files_are_stored_under_a_random_folder(kind):
    world = _world(published=True)
    first = FILES[kind](world.project, world.staff)
    second = FILES[kind](world.project, world.staff)
    # /media/<kind>/<year>/<random>/<name as uploaded>: the name is kept for the download.
    pattern = re.compile(r"^/media/[a-z]+/\d{4}/(?P<random>[A-Za-z0-9_-]{16,})/[\w.-]+$")
    first_match, second_match = pattern.match(first), pattern.match(second)
    assert first_match, first
    assert second_match, second
    assert first_match["random"] != second_match["random"]
    assert first.rsplit("/", 1)[1] == second.rsplit("/", 1)[1]


def test_every_upload_field_names_the_rule_that_guards_its_files():
    from django.apps import apps  # noqa: PLC0415
    from rules import rule_exists  # noqa: PLC0415

    from koproduktion.core.uploads import _UploadFieldMixin  # noqa: PLC0415

    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, _UploadFieldMixin)
    ]
    assert len(fields) >= 3
    for field in fields:
        assert field.view_rule, field
        assert rule_exists(field.view_rule), field
        # The rule answers for the record (anonymous people here), not for its project.
        assert field.view_rule.split(".")[0] == field.model._meta.app_label


@pytest.mark.parametrize("kind", FILES)
def test_behind_nginx_the_app_decides_and_the_server_sends_the_file(client, settings, kind):
    """With MEDIA_INTERNAL_URL the app checks the rule and hands the file to the web server
    (X-Accel-Redirect into an ``internal`` location, docs/deploy.md) with the download headers."""
    settings.MEDIA_INTERNAL_URL = "/internal-media/"
    world = _world(published=False)
    url = FILES[kind](world.project, world.staff)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused
    response = _fetch(client, world.staff, url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/internal-media/" + url.removeprefix("/media/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] in {"application/pdf", "image/jpeg"}
    assert "private" in response["Cache-Control"]
    assert response.content == b""


def test_a_public_photo_costs_one_query(client, django_assert_max_num_queries):
    """The record and what its rule reads come in one query: cheap for every photo of a page."""
    world = _world(published=True)
    url = _photo(world.project, world.staff)
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200

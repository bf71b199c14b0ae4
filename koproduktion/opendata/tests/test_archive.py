"""The ZIP of a town's open data: every file as its data dictionary describes it, nothing
personal, nothing from drafts or from another town, built once per state of the data."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from koproduktion.core.licences import OpenDataLicence
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.opendata import archive
from koproduktion.opendata.datasets import datasets

from .world import SECRETS, build_world

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _download(client, town) -> zipfile.ZipFile:
    response = client.get(reverse("opendata:archive", args=[town.slug, town.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{town.slug}.zip"' in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def _parses(value: str, kind: str) -> bool:
    """Whether a CSV cell is a value of the Table Schema type ``kind`` (empty: none)."""
    if value == "":
        return True
    try:
        if kind == "integer":
            int(value)
        elif kind == "number":
            float(value)
        elif kind == "boolean":
            return value in ("true", "false")
        elif kind == "date":
            datetime.date.fromisoformat(value)
        elif kind == "datetime":
            return datetime.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False
    return True


def _json_fits(value: object, kind: str) -> bool:
    if value is None:
        return True
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str) and (kind == "string" or _parses(value, kind))


def test_every_file_is_as_the_data_dictionary_describes_it(client):
    world = build_world()
    opened = _download(client, world.town)
    package = json.loads(opened.read("datapackage.json"))
    described = {resource["path"]: resource for resource in package["resources"]}
    data_files = {name for name in opened.namelist() if name.endswith((".csv", ".json"))}
    assert data_files - {"datapackage.json"} == set(described)
    assert "README.txt" in opened.namelist()
    assert {f"{dataset.name}.csv" for dataset in datasets()} <= set(described)
    for path, resource in described.items():
        fields = resource["schema"]["fields"]
        assert all(field["description"] and field["type"] for field in fields), path
        names = [field["name"] for field in fields]
        types = {field["name"]: field["type"] for field in fields}
        if path.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(opened.read(path).decode("utf-8"))))
            assert rows[0] == names, path
            for row in rows[1:]:
                assert len(row) == len(names), path
                bad = [(n, v) for n, v in zip(names, row, strict=True) if not _parses(v, types[n])]
                assert not bad, (path, bad)
        else:
            records = json.loads(opened.read(path))
            for record in records:
                assert list(record) == names, path
                bad = [(n, v) for n, v in record.items() if not _json_fits(v, types[n])]
                assert not bad, (path, bad)
    # The licence the town chose, with its address.
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]


def test_only_public_records_of_the_town_and_nothing_personal(client):
    world = build_world()
    opened = _download(client, world.town)
    everything = "\n".join(opened.read(name).decode("utf-8") for name in opened.namelist())
    for secret in SECRETS:
        assert secret not in everything
    assert not EMAIL.findall(everything)
    package = json.loads(opened.read("datapackage.json"))
    columns = {f["name"] for r in package["resources"] for f in r["schema"]["fields"]}
    assert not {c for c in columns if re.search(r"user|author|voter|email|contact", c)}

    def records(name):
        return json.loads(opened.read(f"{name}.json"))

    assert [p["title"] for p in records("projects")] == ["Spielplatz Lindenpark"]
    assert sorted(i["title"] for i in records("ideas")) == [
        "Eine Rutsche für Kleine",
        "Mehr Schaukeln",
    ]
    comments = records("comments")
    assert [c["text"] for c in comments] == ["Gute Idee, dafür!", "Antwort darauf."]
    assert comments[1]["parent_id"] == comments[0]["id"]
    assert comments[1]["is_official"]
    results = records("poll_results")
    assert {(r["option_title"], r["votes"], r["rank"]) for r in results} == {
        ("Schaukel", 2, 1),
        ("Wippe", 0, 2),
    }
    assert all(r["ballots"] == 2 and r["final"] for r in results)
    assert sorted(d["title"] for d in records("decisions")) == [
        "Haushalt beschlossen",
        "Spielplatz wird gebaut",
    ]
    assert [m["delay_reason"] for m in records("milestones")] == ["Lieferung verspätet"]
    assert [u["posted_as"] for u in records("updates")] == ["Grünflächenamt"]
    assert [e["title"] for e in records("events")] == ["Spielplatz-Werkstatt"]
    assert [i["title"] for i in records("initiatives")] == ["Gemeinschaftsgarten am Bahnhof"]
    assert [o["name"] for o in records("organisations")] == ["Bürgerverein Lindenau"]
    # A text a spreadsheet would run as a formula is defused in the CSV, kept in the JSON.
    ideas_csv = opened.read("ideas.csv").decode("utf-8")
    assert "'=HYPERLINK" in ideas_csv
    assert any(i["text"].startswith("=HYPERLINK") for i in records("ideas"))


def test_a_flood_of_downloads_builds_the_zip_once(client, django_assert_max_num_queries):
    world = build_world()
    url = reverse("opendata:archive", args=[world.town.slug, world.town.slug])
    with mock.patch.object(archive, "build_archive", wraps=archive.build_archive) as build:
        first = client.get(url)
        # One query a download: the town; no fingerprint, no build.
        with django_assert_max_num_queries(20):
            for _ in range(20):
                assert client.get(url).content == first.content
        assert build.call_count == 1
        # Browsers that have it already get a 304.
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        # Once the data changed (and the fingerprint is asked again), a new ZIP is built.
        IdeaFactory(project=world.project, title="Ein Trinkbrunnen")
        cache.delete(f"opendata:fingerprint:{world.town.pk}")
        changed = client.get(url)
        assert build.call_count == 2
        assert b"Ein Trinkbrunnen" in zipfile.ZipFile(io.BytesIO(changed.content)).read("ideas.csv")


def test_while_another_process_builds_the_previous_zip_or_a_retry(client):
    world = build_world()
    town = world.town
    url = reverse("opendata:archive", args=[town.slug, town.slug])
    cache.add(f"opendata:building:{town.pk}:de", 1)
    busy = client.get(url)
    assert busy.status_code == 503
    assert busy["Retry-After"] == "10"
    cache.delete(f"opendata:building:{town.pk}:de")
    built = client.get(url)
    IdeaFactory(project=world.project, title="Ein Trinkbrunnen")
    cache.delete(f"opendata:fingerprint:{town.pk}")
    cache.add(f"opendata:building:{town.pk}:de", 1)
    assert client.get(url).content == built.content


def test_the_licence_the_town_chose_is_in_the_package_and_readme(client):
    world = build_world()
    world.town.open_data_licence = OpenDataLicence.DL_DE_ZERO_2
    world.town.save()
    opened = _download(client, world.town)
    package = json.loads(opened.read("datapackage.json"))
    assert package["licenses"][0]["path"] == "https://www.govdata.de/dl-de/zero-2-0"
    assert "https://www.govdata.de/dl-de/zero-2-0" in opened.read("README.txt").decode()


def test_single_files_come_from_the_zip(client):
    world = build_world()
    town = world.town
    response = client.get(reverse("opendata:dataset_csv", args=[town.slug, "projects"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().startswith("id,slug,title")
    response = client.get(reverse("opendata:dataset_json", args=[town.slug, "decisions"]))
    assert len(json.loads(response.content)) == 2


@pytest.mark.parametrize(
    "path",
    [
        "/nirgendwo/offene-daten/",
        "/nirgendwo/offene-daten/nirgendwo.zip",
        "/lindenau/offene-daten/anderswo.zip",
        "/lindenau/offene-daten/unbekannt.csv",
        "/lindenau/offene-daten/unbekannt.json",
        "/nirgendwo/feed/",
        "/lindenau/vorhaben/unbekannt/feed/",
        "/versteckt/offene-daten/",
        "/versteckt/offene-daten/versteckt.zip",
        "/versteckt/feed/",
    ],
)
def test_unknown_or_hidden_things_are_not_found(client, path):
    build_world()
    from koproduktion.core.tests.factories import MunicipalityFactory  # noqa: PLC0415

    MunicipalityFactory(slug="versteckt", is_public=False)
    assert client.get(path).status_code == 404


def test_the_page_explains_the_data_and_links_the_downloads(client, django_assert_max_num_queries):
    world = build_world()
    town = world.town
    with django_assert_max_num_queries(3):
        page = client.get(reverse("opendata:index", args=[town.slug]))
    html = page.content.decode()
    assert reverse("opendata:archive", args=[town.slug, town.slug]) in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    for dataset in datasets():
        assert f'id="datensatz-{dataset.name}"' in html
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    assert 'type="application/atom+xml"' in html
    # Reached from the town's page and from the footer of its pages.
    town_page = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert town_page.count(reverse("opendata:index", args=[town.slug])) == 2


def test_staff_of_a_hidden_town_get_its_public_records(client):
    world = build_world()
    world.town.is_public = False
    world.town.save()
    client.force_login(person_with_role(world.town, Role.COORDINATION))
    opened = _download(client, world.town)
    titles = [p["title"] for p in json.loads(opened.read("projects.json"))]
    assert titles == ["Spielplatz Lindenpark"]

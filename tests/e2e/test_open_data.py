"""A visitor finds the town's open data from the footer, reads the data dictionary, downloads
the ZIP and finds in it what the dictionary describes; the town's feed is linked."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from playwright.sync_api import expect


def test_from_the_footer_to_the_open_data_and_its_zip(visitor, demo_town, tmp_path):
    page = visitor.goto("/musterstadt/")
    page.get_by_role("contentinfo").get_by_role("link", name="Offene Daten", exact=True).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Daten")
    expect(
        page.get_by_role("link", name="Creative Commons Attribution 4.0 International")
    ).to_be_visible()
    dictionary = page.get_by_role("table", name="Spalten von comments (Kommentare)")
    expect(dictionary.get_by_role("rowheader", name="stance")).to_be_visible()
    expect(dictionary.get_by_role("columnheader", name="Typ")).to_be_visible()
    feed = page.get_by_role("link", name="Atom-Feed der Kommune", exact=False)
    expect(feed).to_have_attribute("href", "/musterstadt/feed/")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Alle Daten als ZIP (musterstadt.zip)").click()
    download = download_info.value
    assert download.suggested_filename == "musterstadt.zip"
    saved = tmp_path / "musterstadt.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        package = json.loads(archive.read("datapackage.json"))
        projects = next(r for r in package["resources"] if r["path"] == "projects.csv")
        header = next(csv.reader(io.StringIO(archive.read("projects.csv").decode())))
        assert header == [field["name"] for field in projects["schema"]["fields"]]
        assert json.loads(archive.read("projects.json"))

    # The feed answers as Atom.
    response = page.request.get(visitor.base_url + "/musterstadt/feed/")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "<entry>" in response.text()

"""A resident reads the privacy notice, downloads their data and deletes the account, without
JavaScript."""

from __future__ import annotations

import json
import zipfile

from playwright.sync_api import expect

from koproduktion.accounts.models import User

EMAIL = "radler@musterstadt.example"


def test_resident_downloads_the_data_and_deletes_the_account(
    demo_town, visitor_without_js, tmp_path
):
    visitor = visitor_without_js
    page = visitor.log_in(EMAIL)
    page.get_by_role("link", name="Datenschutz", exact=True).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutzhinweise")

    page.get_by_role("link", name="Mein Konto").click()
    visitor.check()
    page.get_by_role("link", name="Meine Daten herunterladen").click()
    visitor.check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="ZIP-Datei herunterladen").click()
    saved = tmp_path / "daten.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("profile.json"))["email"] == EMAIL

    page.get_by_role("link", name="Zurück zu Mein Konto").click()
    visitor.check()
    page.get_by_role("link", name="Konto löschen").click()
    visitor.check()
    page.get_by_label("Ihr Passwort").fill("vertippt-123")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text("Das Passwort stimmt nicht")

    page.get_by_label("Ihr Passwort").fill("Koproduktion-Demo")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Konto ist gelöscht")
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
    assert not User.objects.filter(email=EMAIL).exists()

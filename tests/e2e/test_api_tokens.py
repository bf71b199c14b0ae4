"""A person creates a personal API key under Mein Konto, sees it once, and revokes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koproduktion.accounts.models import ApiToken
from koproduktion.accounts.services import ApiTokenRejected, api_token_authenticate
from koproduktion.core.tests.factories import PASSWORD, UserFactory


def test_create_and_revoke_an_api_token(transactional_db, visitor):
    person = UserFactory(email="skript@example.org", public_name="Stadtteilbüro Nord")

    page = visitor.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(person.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    visitor.check()
    page.get_by_role("link", name="Mein Konto").click()
    visitor.check()
    page.get_by_role("link", name="API-Schlüssel verwalten").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-Schlüssel")
    expect(page.get_by_text("Sie haben noch keinen API-Schlüssel.")).to_be_visible()

    # Without a name the form explains itself.
    page.get_by_role("button", name="Schlüssel erstellen").click()
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text("Bezeichnung")

    page.get_by_label("Bezeichnung").fill("Auswertung Stadtteilbüro")
    page.get_by_role("button", name="Schlüssel erstellen").click()
    visitor.check()
    plain = page.locator("#new-token").inner_text()
    assert api_token_authenticate(plain_token=plain).user == person
    expect(page.get_by_text("nur dieses eine Mal angezeigt")).to_be_visible()
    expect(page.get_by_role("row", name="Auswertung Stadtteilbüro")).to_contain_text(plain[:11])

    # Shown once: the page loaded again has the prefix only.
    page.goto(visitor.base_url + "/konto/api-schluessel/")
    visitor.check()
    expect(page.locator("#new-token")).to_have_count(0)
    assert plain not in page.content()

    page.get_by_role("button", name="„Auswertung Stadtteilbüro“ widerrufen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("ist widerrufen")
    expect(page.get_by_role("row", name="Auswertung Stadtteilbüro")).to_contain_text(
        "widerrufen am"
    )
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(ApiTokenRejected, match="widerrufen"):
        api_token_authenticate(plain_token=plain)


def test_the_honeypot_is_out_of_reach(transactional_db, visitor):
    page = visitor.goto("/konto/registrieren/")
    # Not in the accessibility tree, not reachable by keyboard, not visible.
    expect(page.get_by_role("textbox", name="Bitte dieses Feld leer lassen")).to_have_count(0)
    honeypot = page.locator("input[name=website]")
    expect(honeypot).to_have_attribute("tabindex", "-1")
    expect(honeypot).not_to_be_in_viewport()

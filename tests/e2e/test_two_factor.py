"""A staff member of a town that requires two-factor log-in sets it up and logs in with a code."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from koproduktion.accounts import totp
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)


def test_staff_turn_on_two_factor_and_log_in_with_a_code(transactional_db, visitor):
    town = MunicipalityFactory(name="Zweistadt", slug="zweistadt", require_two_factor=True)
    person = UserFactory(email="amt@zweistadt.example", public_name="Amt Zweistadt")
    MembershipFactory(user=person, municipality=town, role=Role.STAFF)

    page = visitor.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(person.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    visitor.check()

    # The town's pages send staff without two-factor log-in to set it up first.
    visitor.goto("/zweistadt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung")
    expect(page.get_by_role("status")).to_contain_text("Zweistadt verlangt")
    expect(
        page.get_by_role("img", name="QR-Code zum Einrichten der Authentifizierungs-App")
    ).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")

    page.get_by_label("Code aus der App").fill("000000")
    page.get_by_label("Ihr Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Zwei-Faktor-Anmeldung einschalten").click()
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text("Dieser Code passt nicht")

    page.get_by_label("Code aus der App").fill(totp.code_at(secret, time.time()))
    page.get_by_label("Ihr Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Zwei-Faktor-Anmeldung einschalten").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("ist eingeschaltet")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Weiter").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweistadt")

    page.get_by_role("button", name="Abmelden").click()
    visitor.check()

    # From now on the password alone is not enough.
    page = visitor.goto("/konto/anmelden/?next=/zweistadt/")
    page.get_by_label("E-Mail-Adresse").fill(person.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code eingeben")
    # The code of the next 30 seconds: the one used to set up is spent.
    page.get_by_label("Code").fill(totp.code_at(secret, time.time() + totp.STEP_SECONDS))
    page.get_by_role("button", name="Bestätigen und anmelden").click()
    page.wait_for_url("**/zweistadt/")
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweistadt")
    expect(page.get_by_role("link", name="Mein Konto")).to_be_visible()

"""A resident registers with a pseudonym, confirms the address from the e-mail and logs in."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

PASSWORD = "Bank-am-Marktplatz-7"


def test_resident_registers_confirms_and_logs_in(demo_town, visitor):
    page = visitor.goto("/")
    page.get_by_role("link", name="Registrieren").click()
    visitor.check()

    page.get_by_label("E-Mail-Adresse").fill("neu@musterstadt.example")
    page.get_by_label("Öffentlicher Name").fill("Nachbarin vom Hafen")
    page.get_by_label("Ihre Kommune").select_option(label="Musterstadt")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill("vertippt-123")
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen").check()
    page.get_by_role("button", name="Konto anlegen").click()
    visitor.check()

    # A mistake is explained, and what was typed is still there.
    expect(page.get_by_role("alert")).to_contain_text("Die beiden Passwörter stimmen nicht überein")
    expect(page.get_by_label("Öffentlicher Name")).to_have_value("Nachbarin vom Hafen")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen").check()
    page.get_by_role("button", name="Konto anlegen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    )

    (message,) = [m for m in mail.outbox if m.to == ["neu@musterstadt.example"]]
    link = re.search(r"https?://\S+/konto/bestaetigen/\S+/", message.body).group(0)
    page.goto(link)
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Ihre E-Mail-Adresse ist bestätigt")

    page.get_by_label("E-Mail-Adresse").fill("neu@musterstadt.example")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    visitor.check()
    page.get_by_role("link", name="Mein Konto").click()
    visitor.check()
    expect(page.get_by_text("Nachbarin vom Hafen")).to_be_visible()
    expect(page.get_by_role("link", name="Musterstadt")).to_be_visible()

    page.get_by_role("button", name="Abmelden").click()
    visitor.check()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()

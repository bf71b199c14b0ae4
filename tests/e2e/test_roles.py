"""The town's admin invites a new person as staff of a department; the mail arrives, the person
registers through its link and finds the department's inbox in the header."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

PASSWORD = "Rathaus-am-Markt-2026"
NEWCOMER = "neu.planung@musterstadt.example"


def test_an_admin_invites_staff_who_register_and_find_their_inbox(demo_town, visitor):
    page = visitor.log_in("admin@musterstadt.example", then="/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Verwaltung", exact=True
    ).click()
    visitor.check()
    page.get_by_role("link", name="Rollen und Einladungen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rollen")
    expect(page.get_by_role("row").filter(has_text="Stadtplanung Musterstadt")).to_contain_text(
        "Verwaltung"
    )

    # Granting a role to an address without an account says why and offers the invitation,
    # with everything typed still there.
    page.get_by_label("E-Mail-Adresse").fill(NEWCOMER)
    page.get_by_role("group", name="Rollen").get_by_label("Verwaltung").check()
    page.get_by_role("group", name="Fachbereiche").get_by_label("Stadtplanung").check()
    page.get_by_role("button", name="Rolle vergeben").click()
    visitor.check()
    address = page.get_by_label("E-Mail-Adresse")
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_errors")).to_contain_text(
        "Unter dieser Adresse gibt es kein Konto"
    )
    expect(address).to_have_value(NEWCOMER)
    expect(
        page.get_by_role("group", name="Fachbereiche").get_by_label("Stadtplanung")
    ).to_be_checked()

    page.get_by_role("button", name="Einladung senden").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text(f"Die Einladung an {NEWCOMER} ist unterwegs")
    expect(page.get_by_role("row").filter(has_text=NEWCOMER)).to_contain_text("Stadtplanung")
    page.get_by_role("button", name="Abmelden").click()
    visitor.check()

    (message,) = [m for m in mail.outbox if m.to == [NEWCOMER]]
    link = re.search(r"https?://\S+/konto/einladung/\S+/", message.body).group(0)
    page.goto(link)
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Einladung zur Mitarbeit in Musterstadt"
    )
    page.get_by_label("Öffentlicher Name").fill("Neu in der Planung")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen").check()
    page.get_by_role("button", name="Konto anlegen und Einladung annehmen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text(
        "Sie haben jetzt in Musterstadt die Rolle Verwaltung"
    )

    inbox = page.get_by_role("link", name=re.compile(r"^Posteingang \d+ offen$"))
    inbox.click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posteingang")

    # The link worked once.
    page.goto(link)
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Einladung gilt nicht")

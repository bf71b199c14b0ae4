"""Staff name the members of a milestone's resident group; a member hears of it, reports progress
and leaves the group again – all without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

OVERVIEW = "/musterstadt/vorhaben/quartierstreff-nordstadt/umsetzung/"


def test_staff_name_group_members_who_report_and_leave(demo_town, visitor_without_js, settings):
    settings.MAP_TILE_URL = ""
    visitor = visitor_without_js
    page = visitor.page

    visitor.log_in("verwaltung@musterstadt.example")
    visitor.goto(OVERVIEW)
    page.get_by_role("link", name="bearbeiten Eröffnungsfest").click()
    visitor.check()
    members = page.get_by_label("Mitglieder der Gruppe")
    expect(members).to_have_value("")
    # The help text, then the field's length limit.
    expect(members).to_have_accessible_description(
        re.compile(
            r"^Nur bei einer verantwortlichen Gruppe: die öffentlichen Namen der Mitglieder, einer "
            r"je Zeile\. Mitglieder dürfen Fortschrittsberichte schreiben\. höchstens 4\.000 Zeichen"
        )
    )
    members.fill("lena aus der altstadt\nNiemand Bekanntes")
    page.get_by_role("button", name="Meilenstein speichern").click()
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text("„Niemand Bekanntes“")
    expect(members).to_have_value("lena aus der altstadt\nNiemand Bekanntes")
    members.fill("lena aus der altstadt")
    page.get_by_role("button", name="Meilenstein speichern").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Der Meilenstein ist gespeichert.")
    page.get_by_role("button", name="Abmelden").click()
    visitor.check()

    visitor.log_in("buergerin@musterstadt.example")
    visitor.goto("/konto/benachrichtigungen/")
    notice = page.get_by_role("listitem").filter(has_text="Nachbarschaftsgruppe Nordstadt")
    expect(notice).to_contain_text("Umsetzung")
    # The inbox filters by kind with a plain form; an unknown kind in the address shows all.
    page.get_by_label("Art der Benachrichtigung").select_option(label="Patenschaft")
    page.get_by_role("button", name="Anzeigen").click()
    visitor.check()
    expect(page.get_by_text("Keine Benachrichtigungen der Art „Patenschaft“.")).to_be_visible()
    page.get_by_label("Art der Benachrichtigung").select_option(label="Umsetzung")
    page.get_by_role("button", name="Anzeigen").click()
    visitor.check()
    expect(page).to_have_url(re.compile(r"/konto/benachrichtigungen/\?art=implementation$"))
    expect(notice).to_be_visible()
    expect(page.locator(".inbox li").filter(has_not_text="Umsetzung")).to_have_count(0)
    visitor.goto("/konto/benachrichtigungen/?art=quatsch")
    expect(page.get_by_role("status")).to_contain_text(
        "Diese Art von Benachrichtigung gibt es nicht"
    )
    visitor.goto("/konto/benachrichtigungen/?art=implementation")
    page.get_by_role("link", name="Nachbarschaftsgruppe Nordstadt").click()
    visitor.check()
    expect(
        page.get_by_text("Sie gehören zur Gruppe „Nachbarschaftsgruppe Nordstadt“")
    ).to_be_visible()
    page.get_by_role("link", name="Fortschritt berichten").click()
    visitor.check()
    page.get_by_label("Text", exact=True).fill("Die Einladungen zum Fest sind verteilt.")
    page.get_by_label("Meilenstein").select_option(label="Eröffnungsfest")
    page.get_by_role("button", name="Bericht veröffentlichen").click()
    visitor.check()
    expect(page.get_by_text("Die Einladungen zum Fest sind verteilt.")).to_be_visible()

    page.get_by_role("button", name="Gruppe verlassen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Sie gehören nicht mehr zur Gruppe")
    expect(page.get_by_role("button", name="Gruppe verlassen")).to_have_count(0)
    expect(page.get_by_role("link", name="Fortschritt berichten")).to_have_count(0)

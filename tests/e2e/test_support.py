"""A resident filters the support catalogue to funding with open deadlines and opens an offer;
an initiator links an offer to her initiative (an expired one is refused, the note kept) and it
shows on the initiative's page; staff set up an offer. Every page is checked with axe, the
catalogue on a 375 px phone."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from koproduktion.support.models import SupportLink, SupportOffer

INITIATOR = "buergerin@musterstadt.example"  # started the community garden
STAFF = "verwaltung@musterstadt.example"  # Stadtplanung, Tiefbau und Verkehr
GARDEN = "Gemeinschaftsgarten am Güterbahnhof"
PHONE = {"width": 375, "height": 800}


def _day(days: int) -> str:
    return f"{timezone.localdate() + datetime.timedelta(days=days):%Y-%m-%d}"


def _log_out(visitor):
    visitor.page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "button", name="Abmelden"
    ).click()
    visitor.check()


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_find_link_and_offer_support(demo_town, visitor):
    page = visitor.page
    page.set_viewport_size(PHONE)

    # A resident looks for money for a neighbourhood project.
    visitor.goto("/musterstadt/")
    page.get_by_role("link", name=re.compile(r"^Unterstützung finden")).click()
    visitor.check()
    _fits_the_phone(page)
    page.get_by_label("Baustein", exact=True).select_option("funding")
    page.get_by_label("nur offene Fristen").check()
    page.get_by_role("button", name="Anzeigen").click()
    visitor.check()
    _fits_the_phone(page)
    cards = page.locator(".card-list h2")
    expect(cards.first).to_have_text("Bürgerstiftung Musterstadt: Kleinprojekte")
    expect(page.locator(".card-list")).not_to_contain_text("Klimafonds")  # its deadline passed
    expect(page.locator(".card-list")).to_contain_text("noch 12 Tage")
    expect(page.get_by_text(re.compile(r"^3 Angebote"))).to_be_visible()
    page.get_by_role("link", name="Landesprogramm Soziale Stadt: Nachbarschaftsprojekte").click()
    visitor.check()
    _fits_the_phone(page)
    expect(page.locator(".deadline")).to_contain_text("noch 90 Tage")
    expect(page.get_by_text("2.000 € bis 25.000 €")).to_be_visible()
    offer_path = page.url.split(visitor.base_url, 1)[1]

    # The garden's initiator links it to her initiative: the expired fund first, refused.
    page.set_viewport_size({"width": 1280, "height": 900})
    visitor.log_in(INITIATOR, then=offer_path)
    page.get_by_role("link", name=f"Mit „{GARDEN}“ verknüpfen").click()
    visitor.check()
    select = page.get_by_label("Angebot", exact=True)
    expect(select.locator("option:checked")).to_contain_text("Landesprogramm Soziale Stadt")
    klimafonds = SupportOffer.objects.get(title="Klimafonds: Grün im Quartier")
    select.select_option(str(klimafonds.pk))
    page.get_by_label(re.compile(r"^Notiz")).fill("Antrag für den Geräteschuppen")
    page.get_by_role("button", name="Angebot verknüpfen").click()
    visitor.check()
    expect(page.locator(".field-invalid")).to_contain_text(
        "Die Frist dieses Angebots ist abgelaufen"
    )
    expect(page.get_by_label(re.compile(r"^Notiz"))).to_have_value("Antrag für den Geräteschuppen")
    fund = SupportOffer.objects.get(title__startswith="Landesprogramm")
    select.select_option(str(fund.pk))
    page.get_by_role("button", name="Angebot verknüpfen").click()
    visitor.check()
    section = page.locator("#unterstuetzung")
    expect(section.get_by_role("heading")).to_have_text("Unterstützung für dieses Vorhaben")
    expect(section).to_contain_text("Landesprogramm Soziale Stadt")
    expect(section).to_contain_text("Antrag für den Geräteschuppen")
    assert SupportLink.objects.filter(offer=fund, initiative__title=GARDEN).exists()
    visitor.goto(offer_path)
    expect(page.get_by_role("link", name=GARDEN, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"Mit „{GARDEN}“ verknüpfen")).to_have_count(0)
    _log_out(visitor)

    # Staff of the planning department set up an offer; a past deadline is refused first.
    visitor.log_in(STAFF, then="/musterstadt/")
    page.get_by_role("link", name="Unterstützungsangebote verwalten").click()
    visitor.check()
    page.get_by_role("link", name="Angebot anlegen").click()
    visitor.check()
    page.get_by_label("Titel", exact=True).fill("Zuschuss für Hofbegrünung")
    page.get_by_label("Baustein", exact=True).select_option("funding")
    page.get_by_label(re.compile(r"^Kurz gesagt")).fill("Bis zu 2.000 Euro für grüne Höfe.")
    page.get_by_label(re.compile(r"^Zuständiger Fachbereich")).select_option(label="Stadtplanung")
    page.get_by_label(re.compile(r"^Fördersumme bis")).fill("2.000")
    page.get_by_label(re.compile(r"^Frist")).fill(_day(-1))
    page.get_by_label("Stand", exact=True).select_option("published")
    page.get_by_role("button", name="Angebot speichern").click()
    visitor.check()
    expect(page.locator(".field-invalid")).to_contain_text("Vergangenheit")
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Zuschuss für Hofbegrünung")
    page.get_by_label(re.compile(r"^Frist")).fill(_day(40))
    page.get_by_role("button", name="Angebot speichern").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zuschuss für Hofbegrünung")
    expect(page.locator(".deadline")).to_contain_text("noch 40 Tage")
    expect(page.get_by_text("bis zu 2.000 €")).to_be_visible()
    visitor.goto("/musterstadt/unterstuetzung/?baustein=funding")
    expect(page.locator(".card-list")).to_contain_text("Zuschuss für Hofbegrünung")

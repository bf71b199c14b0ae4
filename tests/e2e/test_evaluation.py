"""Staff set two questions for a project's evaluation and move it into the evaluation phase; a
resident who follows it answers the survey, the results show, staff publish the report, and the
resident reads it and finds the notice in the inbox. On a 375 px phone too; axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.evaluation.models import Question
from koproduktion.evaluation.services import survey_answer
from koproduktion.projects.models import Project

STAFF = "koordination@musterstadt.example"
RESIDENT = "buergerin@musterstadt.example"
PROJECT = "quartierstreff-nordstadt"
WORKSPACE = f"/musterstadt/vorhaben-verwalten/{PROJECT}/auswertung/"
PUBLIC = f"/musterstadt/vorhaben/{PROJECT}/"
PHONE = {"width": 375, "height": 800}


def _log_out(visitor):
    visitor.page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "button", name="Abmelden"
    ).click()
    visitor.check()


def _four_more_answers() -> None:
    """Other neighbours answer too, so that the public results appear (from five answers)."""
    project = Project.objects.get(municipality__slug="musterstadt", slug=PROJECT)
    town = Municipality.objects.get(slug="musterstadt")
    rating, yes_no = Question.objects.filter(survey__project=project)
    for number in range(4):
        survey_answer(
            actor=person_with_role(town, Role.RESIDENT),
            project=project,
            values={rating.pk: 5 - number % 2, yes_no.pk: "ja"},
        )


def test_staff_ask_residents_answer_and_the_report_is_published(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""
    page = visitor.page

    # The resident follows the project while it is being built.
    visitor.log_in(RESIDENT, then=PUBLIC)
    page.get_by_role("button", name="Vorhaben folgen").click()
    visitor.check()
    _log_out(visitor)

    # Staff reach the evaluation from the project's workspace and set two questions.
    visitor.log_in(STAFF, then=f"/musterstadt/vorhaben-verwalten/{PROJECT}/")
    page.get_by_role("link", name="Auswertung", exact=True).click()
    visitor.check()
    page.get_by_label("Bewertung von 1 bis 5").check()
    page.get_by_role("button", name="Frage hinzufügen").click()
    visitor.check()
    # Without its text the question is refused, and the chosen kind stays.
    expect(page.locator("#id_text_error, #id_text_errors, .errorlist").first).to_be_visible()
    expect(page.get_by_label("Bewertung von 1 bis 5")).to_be_checked()
    page.get_by_label("Frage", exact=True).fill("Wie zufrieden sind Sie mit dem Quartierstreff?")
    page.get_by_label("Bedeutung von 1").fill("gar nicht")
    page.get_by_label("Bedeutung von 5").fill("sehr")
    page.get_by_role("button", name="Frage hinzufügen").click()
    visitor.check()
    page.get_by_label("Ja oder nein").check()
    page.get_by_label("Frage", exact=True).fill("Würden Sie wieder mitmachen?")
    page.get_by_role("button", name="Frage hinzufügen").click()
    visitor.check()
    questions = page.locator("ol.question-list > li")
    expect(questions).to_have_count(2)
    # Still in implementation: the survey does not open yet, and the page says why.
    page.get_by_role("button", name="Umfrage öffnen").click()
    visitor.check()
    expect(page.get_by_text(re.compile("öffnet erst, wenn das Vorhaben"))).to_be_visible()

    # On into the evaluation phase, then open the survey.
    visitor.goto(f"/musterstadt/vorhaben-verwalten/{PROJECT}/naechste-phase/")
    page.get_by_label("Öffentliche Notiz zum Phasenwechsel").fill(
        "Der Treff ist offen. Sagen Sie uns, wie es gelaufen ist."
    )
    page.get_by_role("button", name="Weiter in die Phase „Auswertung“").click()
    visitor.check()
    visitor.goto(WORKSPACE)
    page.get_by_role("button", name="Umfrage öffnen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Die Umfrage ist offen")
    _log_out(visitor)

    # The resident answers from the project's page.
    visitor.log_in(RESIDENT, then=PUBLIC)
    page.get_by_role("link", name="An der Umfrage teilnehmen").first.click()
    visitor.check()
    page.get_by_role("radio", name="4").check()
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_role("button", name="Antwort senden").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Ihre Antwort ist gespeichert")
    expect(page.get_by_text("Sie haben schon geantwortet")).to_be_visible()
    expect(page.get_by_text(re.compile("Das Ergebnis erscheint ab 5 Antworten"))).to_be_visible()
    _four_more_answers()
    page.reload()
    visitor.check()
    rating = page.get_by_role("table", name=re.compile("Wie zufrieden sind Sie"))
    expect(rating.get_by_role("row", name=re.compile(r"^1 – gar nicht"))).to_contain_text("0 %")
    expect(rating.get_by_role("row", name=re.compile(r"^5 – sehr"))).to_contain_text("2")
    expect(page.get_by_role("table", name=re.compile("wieder mitmachen"))).to_contain_text("100 %")
    _log_out(visitor)

    # Staff write the report, starting from the project's figures, and publish it.
    visitor.log_in(STAFF, then=WORKSPACE)
    page.get_by_role("link", name="Auswertungsbericht schreiben").click()
    visitor.check()
    page.get_by_label("Was geplant war").fill("Ein Treffpunkt für die Nordstadt.")
    page.get_by_label("Was daraus wurde").fill("Der Treff ist **jeden Tag** offen.")
    page.get_by_label("Kosten tatsächlich").fill("-10")
    page.get_by_role("button", name="Bericht speichern").click()
    visitor.check()
    expect(page.locator("#id_cost_actual_cents_errors, .errorlist").first).to_be_visible()
    expect(page.get_by_label("Was geplant war")).to_have_value("Ein Treffpunkt für die Nordstadt.")
    page.get_by_label("Kosten tatsächlich").fill("190.000")
    page.get_by_label("Was wir gelernt haben").fill("Früh mit den Vereinen reden.")
    page.get_by_role("button", name="Bericht speichern").click()
    visitor.check()
    page.get_by_role("button", name="Bericht veröffentlichen").click()
    visitor.check()
    _log_out(visitor)

    # The resident reads it, on a phone, and finds the notice.
    page.set_viewport_size(PHONE)
    visitor.log_in(RESIDENT, then="/konto/benachrichtigungen/")
    expect(page.get_by_text(re.compile("Der Auswertungsbericht ist erschienen"))).to_be_visible()
    expect(page.get_by_text(re.compile("Die Umfrage zur Auswertung ist offen"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Der Auswertungsbericht ist erschienen")).click()
    visitor.check()
    report = page.locator("section[aria-labelledby=bericht]")
    expect(report).to_contain_text("Ein Treffpunkt für die Nordstadt.")
    expect(report.locator("strong")).to_have_text("jeden Tag")
    expect(report).to_contain_text("190.000 €")
    expect(report).to_contain_text("Früh mit den Vereinen reden.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visitor.goto(PUBLIC)
    expect(page.get_by_role("link", name="Bericht und Umfrage ansehen")).to_be_visible()

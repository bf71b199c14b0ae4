"""Plain-language summaries on public pages; readability while staff write; a town's minimum.

The figures themselves are tested against hand-counted examples in
koproduktion/core/tests/test_readability.py.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.decisions.models import Decision
from koproduktion.decisions.services import decision_record, decision_update
from koproduktion.dialogue.models import Comment
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.implementation.models import Update
from koproduktion.implementation.services import update_post
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_update
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

HARD = (
    "Die Verkehrsberuhigungsmaßnahmen erfordern eine vorausschauende Abstimmung zwischen den "
    "zuständigen Fachbereichen, den Versorgungsunternehmen und der Straßenverkehrsbehörde."
)
EASY = "Wir bauen einen Radweg. Er wird sicher. Sagen Sie uns, was fehlt."


def _minimum(municipality, value=60):
    Municipality.objects.filter(pk=municipality.pk).update(min_readability=value)
    municipality.refresh_from_db()


def _decision_data(idea, **changes):
    return {
        "title": "Neue Bänke",
        "project": idea.project.pk,
        "body": "council",
        "decided_on": "2026-11-20",
        "outcome": "adopted",
        "reasons": HARD,
        "plain_summary": EASY,
        **changes,
    }


def test_a_project_page_shows_its_plain_language_summary_first(client):
    project = ProjectFactory(plain_summary="Die Stadt baut einen **Radweg**.")
    html = client.get(
        reverse("projects:detail", args=[project.municipality.slug, project.slug])
    ).content.decode()
    details = html[html.index('<details class="plain-language" id="einfache-sprache">') :]
    assert "<summary>Einfache Sprache: das Wichtigste in kurzen Sätzen</summary>" in details
    assert "Die Stadt baut einen <strong>Radweg</strong>." in details
    # Right under the title and the summary, before everything else.
    assert html.index('id="einfache-sprache"') < html.index('id="naechster-schritt"')


def test_a_decision_page_shows_its_plain_language_summary(client):
    idea = IdeaFactory()
    staff = person_with_role(idea.municipality, Role.COORDINATION)
    client.force_login(staff)
    client.post(reverse("decisions:record", args=[idea.municipality.slug]), _decision_data(idea))
    decision = Decision.objects.get()
    assert decision.plain_summary == EASY
    html = client.get(
        reverse("decisions:detail", args=[idea.municipality.slug, decision.pk])
    ).content.decode()
    assert 'id="einfache-sprache"' in html
    assert "Sagen Sie uns, was fehlt." in html


def test_checking_the_readability_shows_the_figures_without_saving(client):
    idea = IdeaFactory()
    client.force_login(person_with_role(idea.municipality, Role.COORDINATION))
    url = reverse("decisions:record", args=[idea.municipality.slug])
    form = client.get(url).content.decode()
    assert '<button type="submit" name="pruefen" value="1"' in form
    response = client.post(url, {**_decision_data(idea), "pruefen": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    reasons = html[html.index('id="id_reasons_lesbarkeit"') :]
    assert re.search(r"Lesbarkeit: \d+ von 100 \(sehr schwer\)", reasons)
    assert f"„{HARD}“" in reasons
    plain = html[html.index('id="id_plain_summary_lesbarkeit"') :]
    assert "(sehr leicht)" in plain
    assert not Decision.objects.exists()


def test_the_figures_follow_the_typing_with_htmx(client):
    idea = IdeaFactory()
    client.force_login(person_with_role(idea.municipality, Role.COORDINATION))
    form = client.get(reverse("decisions:record", args=[idea.municipality.slug])).content.decode()
    field = re.search(r"<textarea[^>]*name=\"reasons\"[^>]*>", form).group(0)
    assert f'hx-post="{reverse("readability")}"' in field
    assert 'hx-target="#id_reasons_lesbarkeit"' in field
    answer = client.post(
        reverse("readability"), {"lesbarkeit_feld": "reasons", "reasons": HARD, "minimum": "60"}
    )
    text = answer.content.decode()
    assert "Lesbarkeit: " in text
    assert "So wird der Text nicht veröffentlicht." in text
    assert "<html" not in text


def test_the_readability_check_is_for_people_with_an_account(client):
    response = client.post(reverse("readability"), {"lesbarkeit_feld": "t", "t": HARD})
    assert response.status_code == 302


def test_a_town_minimum_refuses_a_hard_decision_and_keeps_what_was_typed(client):
    idea = IdeaFactory()
    _minimum(idea.municipality)
    client.force_login(person_with_role(idea.municipality, Role.COORDINATION))
    url = reverse("decisions:record", args=[idea.municipality.slug])
    response = client.post(url, _decision_data(idea))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieser Text ist schwer zu lesen (Lesbarkeit 0, verlangt sind mindestens 60)" in html
    assert f"„{HARD}“" in html
    assert f"{HARD}</textarea>" in html
    assert not Decision.objects.exists()
    assert client.post(url, _decision_data(idea, reasons=EASY)).status_code == 302


def test_an_old_hard_text_does_not_block_other_corrections():
    idea = IdeaFactory()
    staff = person_with_role(idea.municipality, Role.COORDINATION)
    decision = decision_record(
        actor=staff,
        municipality=idea.municipality,
        title="Bänke",
        body="council",
        decided_on="2026-11-20",
        outcome="adopted",
        reasons=HARD,
    )
    _minimum(idea.municipality)
    decision = decision_update(
        actor=staff, decision=decision, change_note="Datum berichtigt", decided_on="2026-11-21"
    )
    assert str(decision.decided_on) == "2026-11-21"
    with pytest.raises(ValidationError, match="schwer zu lesen"):
        decision_update(actor=staff, decision=decision, change_note="Text", reasons=HARD + " Ja.")


def test_publishing_a_hard_project_is_refused_drafts_are_not():
    project = ProjectFactory(is_published=False, description=HARD)
    _minimum(project.municipality)
    project = Project.objects.get(pk=project.pk)
    project_update(project=project, title="Noch ein Entwurf")  # drafts are not checked
    with pytest.raises(ValidationError) as refused:
        project_update(project=project, is_published=True)
    assert (
        "Lesbarkeit 0, verlangt sind mindestens 60" in refused.value.message_dict["description"][0]
    )
    assert not Project.objects.get(pk=project.pk).is_published
    project_update(project=Project.objects.get(pk=project.pk), description=EASY, is_published=True)
    assert Project.objects.get(pk=project.pk).is_published


def test_official_answers_meet_the_minimum_residents_comments_do_not():
    idea = IdeaFactory()
    _minimum(idea.municipality)
    idea.project.municipality = idea.municipality
    staff = person_with_role(idea.municipality, Role.COORDINATION)
    with pytest.raises(ValidationError, match="schwer zu lesen"):
        comment_create(actor=staff, idea=idea, text=HARD, official=True)
    comment_create(actor=resident_of(idea.project), idea=idea, text=HARD)
    comment_create(actor=staff, idea=idea, text=EASY, official=True)
    assert Comment.objects.filter(is_official=True).count() == 1
    assert Comment.objects.count() == 2


def test_the_administrations_reports_meet_the_minimum():
    project = ProjectFactory()
    _minimum(project.municipality)
    project = Project.objects.select_related("municipality").get(pk=project.pk)
    staff = person_with_role(project.municipality, Role.COORDINATION)
    with pytest.raises(ValidationError, match="schwer zu lesen"):
        update_post(actor=staff, project=project, text=HARD)
    update_post(actor=staff, project=project, text=EASY)
    assert Update.objects.count() == 1


def _page_text(html: str, start: str) -> str:
    """The text of the part of ``html`` from ``start`` to its ``</article>``, one line per
    block (headings, list items, paragraphs are sentences of their own)."""
    part = html[html.index(start) : html.index("</article>", html.index(start))]
    part = re.sub(r"</(h\d|p|li|dt|dd)>", "\n", part)
    return re.sub(r"<[^>]+>", "", part)


def test_the_page_on_taking_part_is_in_plain_language(client):
    from koproduktion.core.readability import analyse  # noqa: PLC0415

    project = ProjectFactory()
    town = project.municipality
    _minimum(town, 60)
    html = client.get(reverse("learning:participation", args=[town.slug])).content.decode()
    result = analyse(_page_text(html, 'id="mitmachen-text"'))
    assert result.words > 250  # the whole page, not a part of it
    assert result.score >= town.min_readability, [s.text for s in result.hardest]
    assert result.words_per_sentence < 12

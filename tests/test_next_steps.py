"""Every project card and page says what one can do now, until when, with which account."""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.decisions.tests.factories import PollFactory
from koproduktion.implementation.tests.factories import ShiftFactory, TaskFactory, in_days
from koproduktion.opinions.tests.factories import OpinionMapFactory
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def _row(html: str, title: str) -> str:
    """The list entry (table row) of the project called ``title``."""
    start = html.index(title)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def _town_page(client, town) -> str:
    return client.get(reverse("projects:municipality", args=[town.slug])).content.decode()


def _dialogue(town, **fields):
    project = ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE, **fields)
    PhaseFactory(
        project=project,
        kind=PhaseKind.DIALOGUE,
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2027, 1, 31),
    )
    return project


def test_a_visitor_reads_that_ideas_can_be_posted_until_when_and_how(client):
    town = MunicipalityFactory()
    project = _dialogue(town, title="Fahrradstraße")
    row = _row(_town_page(client, town), "Fahrradstraße")
    text = _text(row)
    assert "Eine Idee einreichen, bis 31. Januar 2027" in text
    assert "Dafür brauchen Sie ein Konto mit bestätigter E-Mail-Adresse." in text
    login = re.search(r'<a href="([^"]+)">Anmelden, um eine Idee einzureichen</a>', row).group(1)
    create = reverse("ideas:create", args=[town.slug, project.slug])
    assert parse_qs(urlsplit(unescape(login)).query)["next"] == [create]


def test_the_project_page_names_every_step_with_log_in_and_registration(client):
    town = MunicipalityFactory()
    project = _dialogue(town)
    OpinionMapFactory(project=project)
    html = client.get(reverse("projects:detail", args=[town.slug, project.slug])).content.decode()
    section = html[html.index('id="naechster-schritt"') : html.index("</section>")]
    text = _text(section)
    for action in ("Eine Idee einreichen", "Thesen im Meinungsbild bewerten", "Ideen unterstützen"):
        assert f"{action}, bis 31. Januar 2027" in text
    assert "Anmelden, um eine Idee einzureichen" in text
    assert "Noch kein Konto? Registrieren" in text


def test_a_resident_gets_the_way_there_not_a_log_in(client):
    town = MunicipalityFactory()
    project = _dialogue(town, title="Fahrradstraße")
    client.force_login(person_with_role(town, Role.RESIDENT))
    row = _row(_town_page(client, town), "Fahrradstraße")
    create = reverse("ideas:create", args=[town.slug, project.slug])
    assert f'<a href="{create}">Eine Idee einreichen</a>' in row
    assert "Anmelden" not in row
    assert "Dafür brauchen Sie" not in row


def test_someone_of_another_town_is_told_why_not(client):
    town = MunicipalityFactory()
    _dialogue(town, title="Fahrradstraße")
    client.force_login(person_with_role(MunicipalityFactory(), Role.RESIDENT))
    text = _text(_row(_town_page(client, town), "Fahrradstraße"))
    assert "Mitmachen können alle, die in dieser Kommune registriert sind." in text


def test_a_binding_poll_says_until_when_and_that_it_needs_verification(client):
    poll = PollFactory(title="Welcher Entwurf?", binding=True, closes_at=in_days(5, 18))
    town, project = poll.municipality, poll.project
    row = _row(_town_page(client, town), project.title)
    text = _text(row)
    closes = timezone.localtime(poll.closes_at)
    assert "Abstimmen: „Welcher Entwurf?“, bis" in text
    assert f"{closes:%H:%M}" in text
    assert "Dafür brauchen Sie ein Konto, das die Kommune verifiziert hat." in text
    assert reverse("decisions:verification", args=[town.slug]) in row
    assert "Anmelden, um abzustimmen" in text


def test_a_poll_not_yet_open_says_from_when(client):
    poll = PollFactory(title="Später", opens_at=in_days(2), closes_at=in_days(9))
    text = _text(_row(_town_page(client, poll.municipality), poll.project.title))
    assert "Abstimmen: „Später“, ab" in text


def test_a_closed_poll_is_no_step(client):
    poll = PollFactory(
        title="Vorbei",
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert "Vorbei" not in _town_page(client, poll.municipality)


def test_a_task_with_free_shifts_invites_to_sign_up(client):
    shift = ShiftFactory(task__title="Wände streichen", starts_at=in_days(4, 9))
    project = shift.task.project
    text = _text(_row(_town_page(client, project.municipality), project.title))
    assert "Für eine Schicht eintragen: „Wände streichen“, bis" in text
    assert "Anmelden, um mitzuhelfen" in text


def test_a_full_task_is_no_step(client):
    task = TaskFactory(title="Kuchen", capacity=1)
    task.taken = 1
    task.save()
    assert "Mithelfen" not in _town_page(client, task.municipality)


def test_before_the_dialogue_the_card_says_from_when(client):
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town, phase=PhaseKind.INFORMATION, title="Wohnen")
    PhaseFactory(project=project, kind=PhaseKind.INFORMATION, starts_on=TODAY, ends_on=TODAY)
    PhaseFactory(
        project=project,
        kind=PhaseKind.DIALOGUE,
        starts_on=datetime.date(2027, 2, 2),
        ends_on=datetime.date(2027, 3, 2),
    )
    text = _text(_row(_town_page(client, town), "Wohnen"))
    assert "Ab 2. Februar 2027: Ideen einreichen, Ideen unterstützen" in text


def test_the_idea_list_tells_a_visitor_ideas_can_be_posted(client):
    town = MunicipalityFactory()
    project = _dialogue(town)
    html = client.get(reverse("ideas:list", args=[town.slug, project.slug])).content.decode()
    text = _text(html)
    assert "Eine Idee einreichen, bis 31. Januar 2027" in text
    assert "Anmelden, um eine Idee einzureichen" in text
    assert "Bitte melden Sie sich an, um mitzumachen." not in text


def test_steps_read_in_english(client, settings):
    town = MunicipalityFactory()
    _dialogue(town, title="Fahrradstraße")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _text(_row(_town_page(client, town), "Fahrradstraße"))
    assert "Post an idea, until Jan. 31, 2027" in text
    assert "Log in to post an idea" in text


def _town_with_everything(count: int):
    town = MunicipalityFactory()
    for n in range(count):
        _dialogue(town)
        OpinionMapFactory(project=ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE))
        PollFactory(project__municipality=town, title=f"Abstimmung {n}")
        ShiftFactory(task__project__municipality=town)
        TaskFactory(project__municipality=town)
    return town


def test_the_steps_cost_the_same_for_few_and_many_projects(client):
    few, many = _town_with_everything(1), _town_with_everything(4)
    client.force_login(person_with_role(few, Role.RESIDENT))
    _town_page(client, few)  # warm-up
    counts = []
    for town in (few, many):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            _town_page(client, town)
        counts.append(len(queries))
    assert counts[0] == counts[1]

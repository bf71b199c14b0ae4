"""The charter in public (linked from the town's page) and its editing page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.charter.models import CharterPromise, PromiseKind
from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.decisions.models import Decision
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory

from .test_measures import published_days_ago, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(name="Lindenau", answer_within_days=14)


def public(town) -> str:
    return reverse("charter:public", args=[town.slug])


def edit(town) -> str:
    return reverse("charter:edit", args=[town.slug])


def promise(town, kind, number=None, note=""):
    return CharterPromise.objects.create(municipality=town, kind=kind, number=number, note=note)


def test_the_town_page_links_the_charter(client, town):
    page = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert f'href="{public(town)}"' in page


def test_a_town_without_promises_says_so(client, town):
    page = client.get(public(town)).content.decode()
    assert "Lindenau hat noch keine Beteiligungsleitlinien veröffentlicht." in page


def test_residents_read_each_promise_with_how_well_it_is_kept_and_where_not(client, town):
    promise(town, PromiseKind.ANSWER)
    promise(town, PromiseKind.LISTED, 4, note="Auch bei Eilentscheidungen.")
    promise(town, PromiseKind.REASONS)
    promise(town, PromiseKind.FEEDBACK, 7)
    author = person_with_role(town, Role.RESIDENT, public_name="Erika Beispiel")
    known = published_days_ago(ProjectFactory(municipality=town), 60)
    rushed = published_days_ago(ProjectFactory(municipality=town), 10)
    idea = IdeaFactory(project=known, author=author, title="Mehr Bänke am Ufer")
    record(town, decided_days_ago=2, project=known, title="Bänke am Ufer", ideas=[idea])
    record(town, decided_days_ago=3, project=rushed, title="Eilig beschlossen")

    client.force_login(person_with_role(town, Role.RESIDENT))
    page = client.get(public(town)).content.decode()
    assert "Beteiligungsleitlinien von Lindenau" in page
    assert "Jede Idee und jede Frage bekommt binnen 14 Tagen eine offizielle Antwort." in page
    assert "Ein Vorhaben steht mindestens 4 Wochen vor seinem Beschluss öffentlich" in page
    assert "Auch bei Eilentscheidungen." in page
    assert "Jeder Beschluss wird öffentlich begründet." in page
    assert "erfährt binnen 7 Tagen nach dem Beschluss" in page
    assert "Gehalten in 1 von 2 Fällen (50 %)." in page  # listed
    assert "Gehalten in 2 von 2 Fällen (100 %)." in page  # reasons
    assert "Gehalten in 1 von 1 Fall (100 %)." in page  # feedback
    assert "In den letzten zwölf Monaten gab es noch keinen Fall." in page  # answers
    rushed_decision = Decision.objects.get(title="Eilig beschlossen")
    assert f'<a href="/{town.slug}/beschluesse/{rushed_decision.pk}/">Eilig beschlossen</a>' in page
    assert "Das Vorhaben war nur 7 Tage vor dem Beschluss öffentlich." in page
    assert 'role="img"' in page
    assert not re.search(r'\b(?:x|y|width|height)="[^"]*,', page)  # SVG's numbers, not German
    assert '<table class="figures">' in page
    assert "Erika Beispiel" not in page
    assert author.email not in page
    assert f'href="{edit(town)}"' not in page


def test_the_page_shows_a_change_of_the_charter_at_once(client, town):
    listed = promise(town, PromiseKind.LISTED, 4)
    assert "mindestens 4 Wochen" in client.get(public(town)).content.decode()
    listed.number = 6
    listed.save()
    assert "mindestens 6 Wochen" in client.get(public(town)).content.decode()


def test_the_public_page_costs_the_same_queries_for_few_or_many_cases(client, town):
    for kind, number in ((PromiseKind.LISTED, 4), (PromiseKind.REASONS, None)):
        promise(town, kind, number)
    project = published_days_ago(ProjectFactory(municipality=town), 10)

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(public(town)).status_code == 200
        return len(captured)

    record(town, decided_days_ago=1, project=project)
    few = queries()
    for days in range(25):
        record(town, decided_days_ago=days + 2, project=project)
    assert queries() == few


def test_only_the_towns_admins_open_the_editing_page(client, town):
    assert client.get(edit(town)).status_code == 302  # log in first
    for role in (Role.RESIDENT, Role.STAFF, Role.COUNCIL):
        client.force_login(person_with_role(town, role))
        assert client.get(edit(town)).status_code == 403
        assert (
            client.post(edit(town), {"kind": "reasons", "reasons-given": "on"}).status_code == 403
        )
    assert not CharterPromise.objects.exists()
    client.force_login(person_with_role(town, Role.ADMIN))
    page = client.get(edit(town)).content.decode()
    assert 'id="id_answer-number"' in page
    assert 'value="14"' in page
    assert 'id="id_listed-number"' in page
    assert 'id="id_reasons-number"' not in page
    assert "Jede Idee und jede Frage bekommt binnen N Tagen eine offizielle Antwort." in page


def test_an_admin_gives_changes_and_takes_back_promises(client, town):
    admin = person_with_role(town, Role.ADMIN)
    client.force_login(admin)
    response = client.post(
        edit(town),
        {"kind": "answer", "answer-given": "on", "answer-number": "10", "answer-note": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == edit(town) + "#answer"
    town.refresh_from_db()
    assert town.answer_within_days == 10
    client.post(edit(town), {"kind": "listed", "listed-given": "on", "listed-number": "3"})
    assert CharterPromise.objects.get(kind="listed").number == 3
    page = client.get(public(town)).content.decode()
    assert "binnen 10 Tagen eine offizielle Antwort" in page
    assert f'href="{edit(town)}"' in page
    client.post(edit(town), {"kind": "listed", "listed-number": "3"})  # no longer given
    assert not CharterPromise.objects.filter(kind="listed").exists()
    assert list(
        AuditEntry.objects.filter(actor=admin).order_by("pk").values_list("action", flat=True)
    ) == [
        "charter.municipality_answer_time_set",  # inside the promise's service: written first
        "charter.charter_promise_set",
        "charter.charter_promise_set",
        "charter.charter_promise_remove",
    ]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Bitte nennen Sie die Frist."),
        ("0", "größer oder gleich 1"),
        ("60", "kleiner oder gleich 52"),
        ("vier", "ganze Zahl"),
    ],
)
def test_a_wrong_number_is_refused_next_to_the_field_and_kept(client, town, number, message):
    client.force_login(person_with_role(town, Role.ADMIN))
    response = client.post(
        edit(town),
        {
            "kind": "listed",
            "listed-given": "on",
            "listed-number": number,
            "listed-note": "Gilt ab Januar.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    errors = page.split('id="id_listed-number_errors"')[1].split("</ul>")[0]
    assert message in errors
    assert f'value="{number}"' in page or not number
    assert "Gilt ab Januar." in page
    assert not CharterPromise.objects.exists()


def test_an_unknown_promise_is_refused_with_a_reason(client, town):
    client.force_login(person_with_role(town, Role.ADMIN))
    response = client.post(edit(town), {"kind": "immer-alles"})
    assert response.status_code == 400
    assert "Dieses Versprechen gibt es nicht." in response.content.decode()

"""The charter's figures, checked against cases counted by hand, with the breaches they show."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from koproduktion.charter.measures import measure_charter
from koproduktion.charter.models import CharterPromise, PromiseKind
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.decisions.models import Body, Decision, Outcome
from koproduktion.decisions.services import decision_record
from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.notifications.models import Kind, Notification
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing import statistics
from koproduktion.routing.tests.factories import arrived

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def measure(town, kind, number=None):
    promise = CharterPromise.objects.create(municipality=town, kind=kind, number=number)
    return measure_charter(municipality=town, promises=[promise])[0]


def today_minus(days: int) -> datetime.date:
    return timezone.localdate() - days * DAY


def record(town, *, decided_days_ago: int, title="Beschluss", actor=None, **fields) -> Decision:
    return decision_record(
        actor=actor or person_with_role(town, Role.COORDINATION),
        municipality=town,
        title=title,
        body=Body.COUNCIL,
        decided_on=today_minus(decided_days_ago),
        outcome=Outcome.ADOPTED,
        reasons="Der Rat folgt der Empfehlung der Verwaltung.",
        **fields,
    )


# --- answer within N days: the response times' own figures --------------------------------------


def test_answers_count_as_the_response_times_do_and_name_the_late_ones():
    town = MunicipalityFactory(answer_within_days=14)
    project = ProjectFactory(municipality=town)
    arrived(project, days_ago=40, answered_after=2, title="Rechtzeitig beantwortet")
    arrived(project, days_ago=40, answered_after=30, title="Spät beantwortete Idee")
    arrived(project, days_ago=20, title="Noch ohne Antwort")
    arrived(project, days_ago=3, title="Noch in der Frist")  # counts neither way yet
    hidden = arrived(project, days_ago=30, answered_after=20, title="Ausgeblendete Idee")
    Idea.objects.filter(pk=hidden.idea_id).update(hidden_at=timezone.now())

    result = measure(town, PromiseKind.ANSWER)
    town_row = statistics.by_department(municipality=town)[0]
    assert (result.counted, result.kept) == (town_row.counted, town_row.in_time) == (4, 1)
    assert result.percent_in_time == 25
    assert result.number == 14
    assert result.sentence == (
        "Jede Idee und jede Frage bekommt binnen 14 Tagen eine offizielle Antwort."
    )
    assert [(b.title, b.detail) for b in result.breaches] == [
        ("Noch ohne Antwort", "seit 20 Tagen ohne offizielle Antwort"),
        ("", "offiziell beantwortet nach 20 Tagen"),  # hidden: counted, not named
        ("Spät beantwortete Idee", "offiziell beantwortet nach 30 Tagen"),
    ]
    late = Idea.objects.get(title="Spät beantwortete Idee")
    assert result.breaches[2].url == f"/{town.slug}/vorhaben/{project.slug}/ideen/{late.pk}/"
    assert result.more_breaches == 0


# --- on the public list N weeks before the decision ---------------------------------------------


def published_days_ago(project: Project, days: int | None) -> Project:
    when = None if days is None else timezone.now() - days * DAY
    Project.objects.filter(pk=project.pk).update(published_at=when)
    return project


def test_decisions_count_the_weeks_their_project_was_public_before():
    town = MunicipalityFactory()
    long_public = published_days_ago(ProjectFactory(municipality=town), 60)
    exactly = published_days_ago(ProjectFactory(municipality=town), 38)
    short = published_days_ago(ProjectFactory(municipality=town), 20)
    later = published_days_ago(ProjectFactory(municipality=town), 5)
    draft = published_days_ago(ProjectFactory(municipality=town, is_published=False), None)
    record(town, decided_days_ago=10, project=long_public, title="Lange bekannt")  # 50 days
    record(town, decided_days_ago=10, project=exactly, title="Genau vier Wochen")  # 28 days
    record(town, decided_days_ago=5, project=short, title="Zu kurz öffentlich")  # 15 days
    record(town, decided_days_ago=10, project=later, title="Erst danach veröffentlicht")
    record(town, decided_days_ago=3, project=draft, title="Geheimer Entwurf")
    record(town, decided_days_ago=3, title="Ohne Vorhaben")  # not counted
    record(town, decided_days_ago=400, project=short, title="Zu alt")  # before the window

    result = measure(town, PromiseKind.LISTED, 4)
    assert (result.counted, result.kept, result.percent_in_time) == (5, 2, 40)
    assert [(b.title, b.when, b.detail) for b in result.breaches] == [
        ("", today_minus(3), "Das Vorhaben war vor dem Beschluss nicht öffentlich."),
        (
            "Zu kurz öffentlich",
            today_minus(5),
            "Das Vorhaben war nur 15 Tage vor dem Beschluss öffentlich.",
        ),
        (
            "Erst danach veröffentlicht",
            today_minus(10),
            "Das Vorhaben wurde erst nach dem Beschluss veröffentlicht.",
        ),
    ]
    short_decision = Decision.objects.get(title="Zu kurz öffentlich")
    assert result.breaches[1].url == f"/{town.slug}/beschluesse/{short_decision.pk}/"
    assert result.breaches[0].url == ""


# --- every decision gives reasons ---------------------------------------------------------------


def test_decisions_without_reasons_are_the_breaches():
    town = MunicipalityFactory()
    record(town, decided_days_ago=1)
    record(town, decided_days_ago=2)
    bare = record(town, decided_days_ago=4, title="Übernommen ohne Begründung")
    Decision.objects.filter(pk=bare.pk).update(reasons="  ")  # as imported from elsewhere
    result = measure(town, PromiseKind.REASONS)
    assert (result.counted, result.kept, result.percent_in_time) == (3, 2, 67)
    assert result.number is None
    assert [(b.title, b.detail) for b in result.breaches] == [
        ("Übernommen ohne Begründung", "ohne Begründung veröffentlicht")
    ]


# --- contributors hear within N days of a decision ----------------------------------------------


def test_contributors_hear_of_the_decision_within_the_promised_days():
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    staff = person_with_role(town, Role.COORDINATION)
    soon, late, unheard, edge = (
        IdeaFactory(project=project, title=title)
        for title in ("Bald gehört", "Spät gehört", "Nie gehört", "Am letzten Tag gehört")
    )
    no_account = IdeaFactory(project=project, author=None, contributor_name="Frau Papier")
    own = IdeaFactory(project=project, author=staff)
    gone = IdeaFactory(project=project, author=UserFactory(is_active=False))
    record(town, decided_days_ago=2, ideas=[soon, no_account, own, gone], actor=staff)
    record(town, decided_days_ago=20, ideas=[late], actor=staff, title="Spät eingetragen")
    record(town, decided_days_ago=7, ideas=[edge], actor=staff)
    # Told a month before, but not of this decision: only notices from its recording on count.
    record(town, decided_days_ago=3, ideas=[unheard], actor=staff, title="Stiller Beschluss")
    Notification.objects.filter(idea=unheard).update(created_at=timezone.now() - 30 * DAY)

    result = measure(town, PromiseKind.FEEDBACK, 7)
    assert (result.counted, result.kept, result.percent_in_time) == (4, 2, 50)
    assert [(b.title, b.detail) for b in result.breaches] == [
        ("Stiller Beschluss", "Zur Idee „Nie gehört“: keine Benachrichtigung."),
        ("Spät eingetragen", "Zur Idee „Spät gehört“: Benachrichtigung nach 20 Tagen."),
    ]
    told = Notification.objects.filter(idea=soon, user=soon.author).values_list("kind", flat=True)
    assert list(told) == [Kind.STATUS_CHANGE]


def test_a_hidden_idea_counts_without_its_title():
    town = MunicipalityFactory()
    idea = IdeaFactory(project=ProjectFactory(municipality=town), title="Beleidigender Titel")
    record(town, decided_days_ago=30, ideas=[idea], title="Beschluss zur Idee")
    Idea.objects.filter(pk=idea.pk).update(hidden_at=timezone.now())
    result = measure(town, PromiseKind.FEEDBACK, 7)
    assert (result.counted, result.kept) == (1, 0)
    assert [(b.title, b.url, b.detail) for b in result.breaches] == [
        ("", "", "Benachrichtigung nach 30 Tagen.")
    ]


def test_no_cases_no_share():
    result = measure(MunicipalityFactory(), PromiseKind.REASONS)
    assert (result.counted, result.percent_in_time, result.share_in_time) == (0, None, None)

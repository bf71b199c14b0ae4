from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone
from PIL import Image

from koproduktion.accounts.models import User
from koproduktion.core.models import Membership, Municipality, Neighbourhood
from koproduktion.core.roles import Role
from koproduktion.decisions.models import Participation, Poll
from koproduktion.demo.data import DEMO_PASSWORD
from koproduktion.demo.numbers import public_idea_count
from koproduktion.dialogue.models import Comment
from koproduktion.events.models import Event, Registration, RegistrationStatus
from koproduktion.ideas.models import Idea, IdeaStatusChange, Support
from koproduktion.implementation.models import Update, UpdatePhoto
from koproduktion.initiatives.models import Initiative, State
from koproduktion.practice.models import PracticeExample
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Phase, Project
from koproduktion.support.models import SupportLink, SupportOffer

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Municipality, Neighbourhood, Project, Phase, User, Membership)
    )


def test_demo_town_is_complete_and_seeding_twice_adds_nothing(client):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first

    town = Municipality.objects.get(slug="musterstadt")
    assert Neighbourhood.objects.filter(municipality=town).count() == 3
    projects = Project.objects.filter(municipality=town)
    # One of them (a draft) came from the demo's accepted initiative.
    assert 5 <= projects.count() <= 9
    assert set(Initiative.objects.filter(municipality=town).values_list("state", flat=True)) == set(
        State
    )
    assert {p.phase for p in projects} == set(PhaseKind)
    assert {p.topic.slug for p in projects} == {"mobilitaet", "wohnen", "oeffentlicher-raum"}
    assert set(Membership.objects.filter(municipality=town).values_list("role", flat=True)) == set(
        Role
    )
    assert User.objects.filter(is_superuser=True).exists()

    # The README's log-ins work.
    for email in ("buergerin@musterstadt.example", "admin@musterstadt.example"):
        assert client.login(username=email, password=DEMO_PASSWORD)


def test_the_demo_town_looks_lived_in_and_its_texts_match_its_data():
    call_command("seed_demo", stdout=StringIO())
    town = Municipality.objects.get(slug="musterstadt")
    ideas = Idea.objects.filter(municipality=town)

    # What the descriptions count is there: "Aus 28 Ideen …", "… 6 geprüft", "3 Entwürfe".
    for project in Project.objects.exclude(description=""):
        for number, _word in re.findall(r"(\d[\d.]*) (Ideen|Vorschlägen)\b", project.description):
            assert int(number) == public_idea_count(project), project.description
        for number in re.findall(r"(\d+) (?:Entwürfe|geprüft)", project.description):
            first_poll = Poll.objects.filter(project=project).order_by("pk").first()
            assert int(number) == first_poll.options.count(), project.description

    # Tens of ideas wherever the dialogue runs, and in the projects that had one.
    for project in Project.objects.filter(phase=PhaseKind.DIALOGUE):
        assert public_idea_count(project) >= 20, project.slug
    for slug in ("neugestaltung-marktplatz", "buergerhaushalt-2027", "quartierstreff-nordstadt"):
        assert public_idea_count(Project.objects.get(municipality=town, slug=slug)) >= 10

    # The quorum is reached by a couple of ideas, and one falls just short.
    quorum = town.support_quorum
    counts = sorted(ideas.values_list("support_count", flat=True), reverse=True)
    assert 1 <= sum(1 for count in counts if count >= quorum) <= 3
    assert any(quorum - 5 <= count < quorum for count in counts)
    assert ideas.filter(support_count__gte=quorum, quorum_reached_at__isnull=True).count() == 0
    # Heavy-tailed: the top idea has far more supports than the typical one.
    assert counts[0] >= 8 * counts[len(counts) // 2]

    # A few hundred comments, threads up to three levels, most ideas few and a couple many.
    comments = Comment.objects.filter(municipality=town)
    assert comments.count() >= 200
    assert comments.filter(depth=2).exists()
    per_idea = sorted(ideas.annotate(n=Count("comments")).values_list("n", flat=True))
    assert per_idea[len(per_idea) // 2] <= 3
    assert per_idea[-1] >= 20
    assert comments.filter(is_official=True).count() >= 20
    assert comments.filter(hidden_at__isnull=False).exists()

    # Many people take part, and only the README's accounts can log in.
    residents = User.objects.filter(email__startswith="bewohner-musterstadt-")
    assert residents.count() >= 150
    assert not any(person.has_usable_password() for person in residents)
    assert Support.objects.filter(municipality=town).values("user").distinct().count() >= 100

    # Every open poll has ballots, counted through the sealed pool.
    now = timezone.now()
    for poll in Poll.objects.filter(municipality=town, opens_at__lte=now, closes_at__gt=now):
        assert Participation.objects.filter(poll=poll).count() >= 20, poll.title

    # Photos in progress updates, real images.
    photos = UpdatePhoto.objects.filter(municipality=town)
    assert photos.count() >= 3
    with photos.first().image.open() as stored, Image.open(stored) as image:
        assert image.width >= 400

    # A full event with a waiting list, one with minutes in the past.
    assert Registration.objects.filter(
        event__municipality=town, status=RegistrationStatus.WAITING
    ).exists()
    held = Event.objects.filter(municipality=town, starts_at__lt=now).exclude(minutes="")
    assert held.exists()
    # The minutes count the people registered and name the ideas linked to them.
    for event in held:
        registered = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        assert not registered.filter(created_at__gte=event.starts_at).exists()
        for number in re.findall(r"(\d+) Menschen", event.minutes):
            assert int(number) == sum(registered.values_list("people", flat=True)), event.title
        for title in re.findall(r"„([^“]+)“", event.minutes):
            assert event.ideas.filter(title=title).exists(), title
        assert not re.search(r"\b(zwei|drei|vier|fünf) Ideen\b", event.minutes)

    # Support offers with open deadlines, one past, entered and linked over the year.
    offers = SupportOffer.objects.filter(municipality=town)
    today = timezone.localdate()
    assert offers.filter(deadline__gte=today).count() >= 3
    assert offers.filter(deadline__lt=today).exists()
    entered = sorted(offers.values_list("created_at", flat=True))
    assert (entered[-1] - entered[0]).days >= 200
    links = SupportLink.objects.filter(offer__municipality=town).select_related("offer")
    assert links.exists()
    for link in links:
        assert link.offer.created_at <= link.linked_at <= now
        assert link.offer.deadline is None or link.linked_at.date() <= link.offer.deadline

    # Practice examples of this town and the other, written up over the year.
    examples = PracticeExample.objects.filter(municipality=town)
    assert examples.count() >= 3
    assert PracticeExample.objects.exclude(municipality=town).exists()
    written = sorted(examples.values_list("created_at", flat=True))
    assert (written[-1] - written[0]).days >= 100
    assert written[-1] <= now

    # A year of history, in order: answers after the ideas, status changes after them too.
    moments = [
        *ideas.values_list("created_at", flat=True),
        *Update.objects.filter(municipality=town).values_list("created_at", flat=True),
        *Initiative.objects.filter(municipality=town).values_list("created_at", flat=True),
    ]
    assert (max(moments) - min(moments)).days >= 300
    assert max(moments) <= now
    assert not comments.filter(created_at__lt=F("idea__created_at")).exists()
    assert not IdeaStatusChange.objects.filter(
        idea__municipality=town, changed_at__lt=F("idea__created_at")
    ).exists()
    assert not Support.objects.filter(
        municipality=town, created_at__lt=F("idea__created_at")
    ).exists()

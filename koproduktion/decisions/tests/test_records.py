from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.decisions.models import Body, Outcome
from koproduktion.decisions.services import decision_record, decision_update
from koproduktion.ideas.models import IdeaStatus
from koproduktion.ideas.services import idea_support
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.notifications.models import Kind, Notification
from koproduktion.notifications.services import follow
from koproduktion.projects.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def _record(actor, idea, **fields):
    data = {
        "municipality": idea.project.municipality,
        "project": idea.project,
        "title": "Querung Lindenstraße",
        "body": Body.COMMITTEE,
        "body_name": "Verkehrsausschuss",
        "decided_on": datetime.date(2026, 11, 20),
        "outcome": Outcome.ADOPTED,
        "reasons": "Der Schulweg wird sicherer; die Kosten trägt das Förderprogramm.",
        "ideas": [idea],
        **fields,
    }
    return decision_record(actor=actor, **data)


def test_decision_sets_the_status_and_tells_everyone_what_became_of_the_idea():
    idea = IdeaFactory()
    idea.author = resident_of(idea.project)
    idea.save()
    supporter, follower = resident_of(idea.project), resident_of(idea.project)
    idea_support(actor=supporter, idea=idea)
    follow(user=follower, idea=idea)
    staff = staff_of(idea.project)
    decision = _record(staff, idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    change = idea.status_changes.get()
    assert change.shown_reason == (
        "Verkehrsausschuss, 20. November 2026: beschlossen. "
        "Der Schulweg wird sicherer; die Kosten trägt das Förderprogramm."
    )
    told = set(
        Notification.objects.filter(idea=idea, kind=Kind.STATUS_CHANGE).values_list(
            "user_id", flat=True
        )
    )
    assert told == {idea.author_id, supporter.pk, follower.pk}
    assert list(decision.ideas.all()) == [idea]


def test_reasons_are_required_and_only_staff_record():
    idea = IdeaFactory()
    with pytest.raises(ValidationError, match="Begründung"):
        _record(staff_of(idea.project), idea, reasons="  ")
    for role in (Role.RESIDENT, Role.COUNCIL, Role.MODERATOR):
        with pytest.raises(PermissionDenied):
            _record(person_with_role(idea.municipality, role), idea)
    with pytest.raises(PermissionDenied):
        _record(person_with_role(MunicipalityFactory(), Role.STAFF), idea)


def test_editing_keeps_a_version_history_and_follows_a_new_outcome():
    idea = IdeaFactory()
    staff = staff_of(idea.project)
    decision = _record(staff, idea)
    with pytest.raises(ValidationError, match="was Sie geändert haben"):
        decision_update(actor=staff, decision=decision, change_note="", outcome=Outcome.DEFERRED)
    decision = decision_update(
        actor=staff,
        decision=decision,
        change_note="Tippfehler und Vertagung",
        outcome=Outcome.DEFERRED,
        reasons="Vertagt bis zur Verkehrszählung.",
    )
    assert decision.version == 2
    (old,) = decision.versions.all()
    assert old.version == 1
    assert old.snapshot["outcome"] == Outcome.ADOPTED
    assert "Schulweg" in old.snapshot["reasons"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW


def test_support_quorum_puts_an_idea_on_the_agenda_once_and_tells_staff():
    idea = IdeaFactory()
    town = idea.municipality
    town.support_quorum = 2
    town.save()
    staff = person_with_role(town, Role.STAFF)
    idea_support(actor=resident_of(idea.project), idea=idea)
    idea.refresh_from_db()
    assert idea.quorum_reached_at is None
    idea_support(actor=resident_of(idea.project), idea=idea)
    idea_support(actor=resident_of(idea.project), idea=idea)
    idea.refresh_from_db()
    assert idea.quorum_reached_at is not None
    assert Notification.objects.filter(user=staff, kind=Kind.QUORUM, idea=idea).count() == 1


def test_a_town_wide_decision_shows_at_once_on_the_cached_idea_page(client):
    idea = IdeaFactory(status=IdeaStatus.ACCEPTED)
    url = reverse("ideas:detail", args=[idea.municipality.slug, idea.project.slug, idea.pk])
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    _record(
        person_with_role(idea.municipality, Role.STAFF),
        idea,
        project=None,
        title="Stadtweiter Beschluss",
    )
    assert "Stadtweiter Beschluss" in client.get(url).content.decode()


def test_the_status_history_reads_a_decision_in_the_readers_language(client):
    idea = IdeaFactory()
    staff = person_with_role(idea.municipality, Role.COORDINATION)
    _record(staff, idea, body_name="")
    url = reverse("ideas:detail", args=[idea.municipality.slug, idea.project.slug, idea.pk])
    german = client.get(url).content.decode()
    assert "Ausschuss, 20. November 2026: beschlossen. Der Schulweg" in german
    client.cookies["language"] = "en"
    english = client.get(url).content.decode()
    assert "Committee, Nov. 20, 2026: adopted. Der Schulweg" in english
    assert "beschlossen" not in english

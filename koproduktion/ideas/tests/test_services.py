from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koproduktion.core.models import Block
from koproduktion.core.ratelimit import RateLimited
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.ideas.models import Idea, IdeaStatus, Source, Support
from koproduktion.ideas.services import (
    idea_create,
    idea_set_status,
    idea_support,
    idea_unsupport,
    idea_update,
    idea_withdraw,
)
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.notifications.models import EmailFrequency, Follow, Notification
from koproduktion.notifications.services import follow, notification_settings_set
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    town = MunicipalityFactory(area_south=52.0, area_west=9.0, area_north=52.2, area_east=9.5)
    return ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE)


def _create(project, actor, **fields):
    data = {"title": "Mehr Bänke am Fluss", "text": "Zum Ausruhen für Ältere.", **fields}
    return idea_create(actor=actor, project=project, **data)


def test_resident_posts_an_idea_with_a_place_and_follows_it(project):
    lena = resident_of(project)
    idea = _create(project, lena, latitude=52.1, longitude=9.2, address="Uferweg")
    assert idea.author == lena
    assert idea.status == IdeaStatus.NEW
    assert idea.municipality_id == project.municipality_id
    assert Follow.objects.filter(user=lena, idea=idea).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Dieses Feld darf nicht leer sein"),
        ({"title": "x" * 121}, "title", "höchstens 120 Zeichen"),
        ({"text": "kurz"}, "text", "mindestens 10 Zeichen"),
        ({"text": "Hallo <script>alert(1)</script> Welt"}, "text", "keine HTML-Tags"),
        ({"latitude": 48.1, "longitude": 11.5}, "latitude", "außerhalb von"),
        ({"latitude": 52.1}, "latitude", "Breiten- und Längengrad"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_stored(project, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _create(project, resident_of(project), **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not Idea.objects.exists()


@pytest.mark.parametrize("phase", [PhaseKind.INFORMATION, PhaseKind.DECISION])
def test_posting_outside_the_dialogue_phase_is_refused(phase):
    project = ProjectFactory(phase=phase)
    with pytest.raises(PermissionDenied, match="In der Phase"):
        _create(project, resident_of(project))
    assert not Idea.objects.exists()


def test_strangers_unconfirmed_and_blocked_people_cannot_post(project):
    stranger = person_with_role(MunicipalityFactory(), Role.RESIDENT)
    unconfirmed = resident_of(project, email_confirmed_at=None)
    blocked = resident_of(project)
    Block.objects.create(municipality=project.municipality, user=blocked, reason="Beleidigungen")
    for person, reason in [
        (stranger, "registriert"),
        (unconfirmed, "bestätigen"),
        (blocked, "gesperrt"),
    ]:
        with pytest.raises(PermissionDenied, match=reason):
            _create(project, person)
    assert not Idea.objects.exists()


def test_posting_is_rate_limited_per_account(project, settings):
    settings.RATE_LIMITS = {"idea": ("2/10m", None)}
    lena = resident_of(project)
    _create(project, lena, title="Erste Idee")
    _create(project, lena, title="Zweite Idee")
    with pytest.raises(RateLimited):
        _create(project, lena, title="Dritte Idee")
    assert Idea.objects.count() == 2


def test_staff_record_an_idea_from_a_workshop_without_an_account(project):
    staff = person_with_role(project.municipality, Role.STAFF)
    idea = _create(project, staff, source=Source.WORKSHOP, contributor_name="Frau K.")
    assert idea.author is None
    assert idea.recorded_by == staff
    assert idea.byline == "Frau K."
    with pytest.raises(PermissionDenied, match="Nur die Verwaltung"):
        _create(project, resident_of(project), source=Source.PAPER)


def test_one_support_per_person_counted_on_the_idea(project):
    idea = IdeaFactory(project=project)
    fan = resident_of(project)
    idea_support(actor=fan, idea=idea)
    with pytest.raises(ValidationError, match="bereits"):
        idea_support(actor=fan, idea=idea)
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Support.objects.count() == 1
    idea_unsupport(actor=fan, idea=idea)
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_authors_cannot_support_their_own_idea(project):
    idea = IdeaFactory(project=project, author=resident_of(project))
    with pytest.raises(PermissionDenied):
        idea_support(actor=idea.author, idea=idea)


def test_edit_window_and_withdrawal(project, settings):
    settings.IDEA_EDIT_MINUTES = 60
    author = resident_of(project)
    idea = _create(project, author)
    idea_update(actor=author, idea=idea, title="Mehr Bänke am Flussufer", text=idea.text)
    assert Idea.objects.get().title == "Mehr Bänke am Flussufer"
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    idea.refresh_from_db()
    with pytest.raises(PermissionDenied):
        idea_update(actor=author, idea=idea, title="Zu spät geändert", text=idea.text)
    with pytest.raises(PermissionDenied):
        idea_withdraw(actor=resident_of(project), idea=idea)
    idea_withdraw(actor=author, idea=idea)
    assert Idea.objects.get().withdrawn_at is not None


def test_status_change_needs_a_reason_and_tells_everyone_involved(
    project, django_capture_on_commit_callbacks
):
    author, fan, follower, quiet = (resident_of(project) for _ in range(4))
    staff = person_with_role(project.municipality, Role.STAFF)
    idea = _create(project, author)
    idea_support(actor=fan, idea=idea)
    follow(user=follower, idea=idea)
    follow(user=quiet, idea=idea)
    notification_settings_set(user=quiet, email_frequency=EmailFrequency.NEVER)
    with pytest.raises(ValidationError, match="begründen"):
        idea_set_status(actor=staff, idea=idea, status=IdeaStatus.REJECTED)
    with pytest.raises(PermissionDenied):
        idea_set_status(actor=fan, idea=idea, status=IdeaStatus.UNDER_REVIEW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_set_status(
            actor=staff, idea=idea, status=IdeaStatus.REJECTED, reason="Zu teuer für 2027."
        )
    told = set(Notification.objects.filter(idea=idea).values_list("user_id", flat=True))
    assert told == {author.pk, fan.pk, follower.pk, quiet.pk}
    mailed = {message.to[0] for message in mail.outbox}
    assert mailed == {author.email, fan.email, follower.email}
    assert "abgelehnt" in mail.outbox[0].subject
    assert idea.status_changes.get().reason == "Zu teuer für 2027."

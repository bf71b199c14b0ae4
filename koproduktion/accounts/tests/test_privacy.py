"""The data download and account deletion: every record about a person, counters kept right."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from koproduktion.accounts.models import ApiToken, User
from koproduktion.accounts.personal_data import registered
from koproduktion.core.models import Block, Membership
from koproduktion.core.tests.factories import PASSWORD, UserFactory
from koproduktion.decisions.models import (
    Ballot,
    BallotLine,
    Participation,
    Verification,
    VerificationCode,
)
from koproduktion.dialogue.models import Comment
from koproduktion.evaluation.models import QuestionAnswer
from koproduktion.ideas.models import Idea, Support
from koproduktion.ideas.services import idea_url
from koproduktion.implementation.models import Commitment, Shift, Task
from koproduktion.implementation.services import task_url
from koproduktion.notifications.models import Follow, Notification, NotificationSettings
from koproduktion.opinions.models import Participant, Statement
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus

from .privacy_world import PSEUDONYM, World, build_world

pytestmark = pytest.mark.django_db


def _fields_pointing_at_a_person() -> set[str]:
    person_model = get_user_model()
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is person_model
    }


def test_every_field_pointing_at_a_person_is_handled_by_download_and_deletion():
    # A new model with a foreign key to the user fails here until its app's privacy.py says
    # what the download shows of it and what deleting an account does with it.
    handled = {entry.label for entry in registered()}
    assert _fields_pointing_at_a_person() - handled == set()
    for entry in registered():
        assert entry.erase is not None or entry.kept, entry.label


@pytest.fixture
def world() -> World:
    return build_world()


def _logged_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _download(client: Client) -> dict[str, object]:
    response = client.post(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def test_download_holds_every_record_about_the_person(world):
    files = _download(_logged_in(world.person))
    assert files["profile.json"]["email"] == world.person.email
    assert files["profile.json"]["public_name"] == PSEUDONYM
    for entry in registered():
        stored = set(entry.rows(world.person).values_list("pk", flat=True))
        # The test person must have every kind of record, so a new kind is tested here too.
        assert stored, f"add a {entry.label} of the person to privacy_world.py"
        assert {row["id"] for row in files[f"{entry.name}.json"]} == stored, entry.label
    # Verification status with its birth date, notification settings, the poll taken part in.
    assert files["verifications.json"][0]["birth_date"] == "1980-05-17"
    assert files["notification_settings.json"][0]["email_frequency"] == "immediately"
    assert files["commitments.json"][0]["phone"] == "0171 1234567"
    assert len(files["poll_participations.json"]) == 1


def test_download_holds_nothing_of_a_secret_ballot(world):
    files = _download(_logged_in(world.person))
    text = json.dumps(files, ensure_ascii=False)
    ballot = Ballot.objects.get()
    assert BallotLine.objects.filter(ballot=ballot).exists()
    assert str(ballot.pk) not in text
    assert "Ja zum Spielplatz" not in text  # the option chosen
    assert not [name for name in files if "ballot" in name]
    # That the person took part is theirs, and is in it.
    assert files["poll_participations.json"][0]["poll__title"] in text


def test_download_needs_a_log_in_and_is_rate_limited(world):
    anonymous = Client().post(reverse("accounts:data_export"))
    assert anonymous.status_code == 302
    client = _logged_in(world.person)
    for _attempt in range(3):
        assert client.post(reverse("accounts:data_export")).status_code == 200
    refused = client.post(reverse("accounts:data_export"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Bitte warten Sie" in refused.content.decode()


def _assert_counters_match_rows() -> None:
    """Every counter the pages show equals a recount of the rows behind it."""
    for idea in Idea.objects.annotate(
        supported=Count("supports", distinct=True), commented=Count("comments", distinct=True)
    ):
        assert (idea.support_count, idea.comment_count) == (idea.supported, idea.commented), idea
    active = Q(commitments__cancelled_at__isnull=True)
    for task in Task.objects.annotate(
        active=Count("commitments", filter=active & Q(commitments__shift__isnull=True))
    ):
        assert task.taken == task.active, task
    for shift in Shift.objects.annotate(active=Count("commitments", filter=active)):
        assert shift.taken == shift.active, shift
    for statement in Statement.objects.annotate(votes_counted=Count("votes")):
        assert statement.vote_count == statement.votes_counted, statement


def _assert_erased(world: World) -> None:
    person = User.objects.get(pk=world.person.pk)
    assert person.deleted_at is not None
    assert person.email == f"deleted-{person.pk}@invalid"
    assert person.public_name == ""
    assert str(person) == "gelöschtes Konto"
    assert (person.is_active, person.is_staff, person.has_usable_password()) == (
        False,
        False,
        False,
    )
    for model, field in (
        (Support, "user"),
        (Participant, "user"),
        (Follow, "user"),
        (Notification, "user"),
        (NotificationSettings, "user"),
        (Verification, "user"),
        (VerificationCode, "redeemed_by"),
        (Membership, "user"),
        (Block, "user"),
        (ApiToken, "user"),
    ):
        assert not model.objects.filter(**{field: person}).exists(), model
    # The letter's code stays used up.
    assert VerificationCode.objects.get().redeemed_at is not None
    # Public contributions stay, under the anonymous account.
    assert Idea.objects.filter(author=person).count() == 1
    assert Comment.objects.filter(author=person).count() == 1
    assert Statement.objects.filter(author=person).count() == 1
    # The secret ballot is untouched and the participation stays, so it counts once.
    assert Participation.objects.filter(voter=person).count() == 1
    assert Ballot.objects.count() == 1
    # Places given back, contacts forgotten.
    commitments = Commitment.objects.filter(user=person)
    assert not commitments.filter(cancelled_at__isnull=True).exists()
    assert not commitments.exclude(phone="").exists()
    assert not commitments.filter(share_contact=True).exists()
    assert Task.objects.get(pk=world.task.pk).taken == 1  # the neighbour's
    assert Shift.objects.get(pk=world.shift.pk).taken == 0
    statuses = dict(
        Sponsorship.objects.filter(sponsor=person).values_list("object__name", "status")
    )
    assert statuses == {
        "Linde am Markt": SponsorshipStatus.ENDED,
        "Bank am Teich": SponsorshipStatus.WITHDRAWN,
    }
    assert not Sponsorship.objects.filter(sponsor=person).exclude(motivation="").exists()
    assert Idea.objects.get(pk=world.idea.pk).support_count == 1  # the neighbour's
    assert Statement.objects.get(pk=world.statement.pk).vote_count == 1
    # Survey answers stay counted in the results; their free texts are gone.
    survey_items = QuestionAnswer.objects.filter(answer__user=person)
    assert list(survey_items.exclude(rating=None).values_list("rating", flat=True)) == [4]
    assert not survey_items.exclude(text="").exists()


def test_a_person_deletes_the_account_and_every_counter_stays_right(world):
    _assert_counters_match_rows()
    visitor = Client()
    idea_page = idea_url(world.idea)
    assert PSEUDONYM in visitor.get(idea_page).content.decode()  # now cached for visitors
    other_device = _logged_in(world.person)
    client = _logged_in(world.person)

    page = client.get(reverse("accounts:delete"))
    assert "Das Löschen lässt sich nicht rückgängig machen" in page.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Ihr Konto ist gelöscht" in response.content.decode()

    _assert_erased(world)
    _assert_counters_match_rows()
    html = visitor.get(idea_page).content.decode()
    assert PSEUDONYM not in html
    assert "gelöschtes Konto" in html
    assert "1 Unterstützung" in html
    task_page = _logged_in(world.neighbour).get(task_url(world.task)).content.decode()
    assert "Freie Plätze</dt><dd>2</dd>" in task_page
    # Logged out here and on every other device; the address no longer logs in.
    for device in (client, other_device):
        assert device.get(reverse("accounts:profile")).status_code == 302
    login = Client().post(
        reverse("accounts:login"), {"username": world.person.email, "password": PASSWORD}
    )
    assert login.status_code == 200
    # Others' notices no longer name the person.
    (reply,) = Notification.objects.filter(user=world.neighbour, comment__author=world.person)
    assert PSEUDONYM not in reply.message
    assert "gelöschtes Konto" in reply.message


def test_deleting_needs_the_password(world):
    client = _logged_in(world.person)
    response = client.post(reverse("accounts:delete"), {"password": "falsch-geraten-1"})
    assert response.status_code == 200
    assert "Das Passwort stimmt nicht" in response.content.decode()
    assert User.objects.get(pk=world.person.pk).deleted_at is None
    assert Support.objects.filter(user=world.person).exists()


def test_admin_deleting_a_person_keeps_every_counter_right(world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = _logged_in(admin)
    url = reverse("admin:accounts_user_delete", args=[world.person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    _assert_counters_match_rows()
    _assert_erased(world)


def test_deleting_twice_changes_nothing(world):
    from koproduktion.accounts.services import user_erase  # noqa: PLC0415

    first = user_erase(user=world.person)
    again = user_erase(user=world.person)
    assert again.deleted_at == first.deleted_at
    _assert_counters_match_rows()


def test_a_deleted_person_is_told_nothing_more(world, django_capture_on_commit_callbacks):
    from django.core import mail  # noqa: PLC0415

    from koproduktion.accounts.services import user_erase  # noqa: PLC0415
    from koproduktion.dialogue.services import comment_create  # noqa: PLC0415

    user_erase(user=world.person)
    own_idea = Idea.objects.get(author=world.person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(actor=world.neighbour, idea=own_idea, text="Schade, dass du weg bist.")
    assert not Notification.objects.filter(user=world.person).exists()
    assert not [m for m in mail.outbox if any(a.endswith("@invalid") for a in m.to)]

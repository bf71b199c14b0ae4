"""What staff verified in person stays verified; a poll's age rule reads only what staff checked."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.core.tests.migrating import migrate, migrate_to_latest
from koproduktion.decisions.eligibility import vote_refusal
from koproduktion.decisions.models import Verification, VerificationCode, VerificationMethod
from koproduktion.decisions.services import code_batch_create, code_redeem, verification_grant
from koproduktion.decisions.tests.factories import PollFactory

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _redeem_on_the_page(client, person, municipality, code, **typed):
    client.force_login(person)
    return client.post(
        reverse("decisions:verification", args=[municipality.slug]), {"code": code, **typed}
    )


def test_a_postal_code_does_not_overwrite_what_staff_verified(client):
    north = NeighbourhoodFactory()
    south = NeighbourhoodFactory(municipality=north.municipality)
    poll = PollFactory(min_age=16, project__municipality=north.municipality)
    staff = person_with_role(poll.municipality, Role.STAFF)
    child = person_with_role(poll.municipality, Role.RESIDENT)
    verification_grant(
        actor=staff,
        user=child,
        municipality=poll.municipality,
        neighbourhood=north,
        birth_date=_years_ago(12),
    )
    _batch, (code,) = code_batch_create(
        actor=staff, municipality=poll.municipality, count=1, neighbourhood=south
    )
    response = _redeem_on_the_page(
        client, child, poll.municipality, code, birth_date=_years_ago(36).isoformat()
    )
    assert "bereits persönlich verifiziert" in response.content.decode()
    verification = Verification.objects.get(user=child)
    assert verification.method == VerificationMethod.IN_PERSON
    assert verification.birth_date == _years_ago(12)
    assert verification.neighbourhood == north
    assert verification.verified_by == staff
    child.refresh_from_db()
    assert "mindestens 16" in vote_refusal(child, poll)
    # Refused, the code stays unused for another person of the household.
    assert VerificationCode.objects.get().redeemed_at is None


def test_a_self_declared_birth_date_does_not_open_a_poll_with_a_minimum_age(client):
    north = NeighbourhoodFactory()
    poll = PollFactory(min_age=16, project__municipality=north.municipality)
    staff = person_with_role(poll.municipality, Role.STAFF)
    _batch, (code,) = code_batch_create(
        actor=staff, municipality=poll.municipality, count=1, neighbourhood=north
    )
    child = person_with_role(poll.municipality, Role.RESIDENT)
    _redeem_on_the_page(
        client, child, poll.municipality, code, birth_date=_years_ago(36).isoformat()
    )
    verification = Verification.objects.get(user=child)
    assert verification.neighbourhood == north
    assert verification.birth_date is None
    child.refresh_from_db()
    assert "persönlich" in vote_refusal(child, poll)
    # The page does not ask for what it cannot use.
    page = client.get(reverse("decisions:verification", args=[poll.municipality.slug]))
    assert 'name="birth_date"' not in page.content.decode()


def test_a_postal_code_fills_in_what_staff_left_open():
    north = NeighbourhoodFactory()
    staff = person_with_role(north.municipality, Role.STAFF)
    person = person_with_role(north.municipality, Role.RESIDENT)
    verification_grant(
        actor=staff, user=person, municipality=north.municipality, birth_date=_years_ago(40)
    )
    _batch, (code,) = code_batch_create(
        actor=staff, municipality=north.municipality, count=1, neighbourhood=north
    )
    verification = code_redeem(user=person, municipality=north.municipality, code=code)
    assert verification.neighbourhood == north
    assert verification.method == VerificationMethod.IN_PERSON
    assert verification.birth_date == _years_ago(40)


def test_staff_renewing_a_verification_keeps_the_checked_birth_date():
    north = NeighbourhoodFactory()
    staff = person_with_role(north.municipality, Role.STAFF)
    person = person_with_role(north.municipality, Role.RESIDENT)
    verification_grant(
        actor=staff, user=person, municipality=north.municipality, birth_date=_years_ago(40)
    )
    verification = verification_grant(
        actor=staff, user=person, municipality=north.municipality, neighbourhood=north
    )
    assert (verification.neighbourhood, verification.birth_date) == (north, _years_ago(40))


def test_the_database_keeps_birth_dates_to_in_person_verifications():
    town = MunicipalityFactory()
    with pytest.raises(IntegrityError):
        Verification.objects.create(
            user=person_with_role(town, Role.RESIDENT),
            municipality=town,
            method=VerificationMethod.POSTAL_CODE,
            birth_date=_years_ago(36),
        )


@pytest.mark.django_db(transaction=True)
def test_birth_dates_typed_with_a_postal_code_are_forgotten_on_upgrade():
    town = MunicipalityFactory()
    typed, checked = UserFactory(), UserFactory()
    old = migrate(("decisions", "0002_ballot_pool")).get_model("decisions", "Verification")
    for user, method in ((typed, "postal_code"), (checked, "in_person")):
        old.objects.create(
            user_id=user.pk, municipality_id=town.pk, method=method, birth_date=_years_ago(36)
        )
    try:
        new = migrate(("decisions", "0003_verification_birth_date_in_person"))
        dates = dict(
            new.get_model("decisions", "Verification").objects.values_list("user_id", "birth_date")
        )
        assert dates == {typed.pk: None, checked.pk: _years_ago(36)}
    finally:
        migrate_to_latest()


def test_staff_verify_only_people_of_their_own_town(client):
    town = MunicipalityFactory()
    elsewhere = person_with_role(MunicipalityFactory(), Role.RESIDENT, public_name="Fremde Person")
    client.force_login(person_with_role(town, Role.STAFF))
    response = client.post(
        reverse("decisions:verification_staff", args=[town.slug]),
        {"verify": "1", "email": elsewhere.email},
    )
    html = response.content.decode()
    assert "In dieser Kommune ist unter dieser Adresse niemand registriert" in html
    assert "Fremde Person" not in html
    assert not Verification.objects.exists()
    with pytest.raises(ValidationError, match="keine Rolle"):
        verification_grant(
            actor=person_with_role(town, Role.STAFF), user=elsewhere, municipality=town
        )

"""Who may warn, block and unblock whom: a matrix of the one acting × the person × the action.

A moderator could block the town's staff, its council members, the other moderators and its
admins: a volunteer moderator silencing the administration. The rule now: moderators warn and
block the people taking part (residents, organisations' representatives); people holding an
office in the town (staff, moderation, council, admin) only its admins and platform admins; and
nobody themselves or a platform admin. Unblocking follows the same rule, so that nobody lifts a
block they could not have set (a blocked moderator their own).
"""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied

from koproduktion.core.models import Block
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory, person_with_role
from koproduktion.moderation.rules import PersonInTown
from koproduktion.moderation.services import user_block, user_unblock, user_warn
from koproduktion.notifications.models import Notification

pytestmark = pytest.mark.django_db

ACTORS = ["moderator", "town admin", "platform admin", "staff", "admin of another town"]
TARGETS = [
    "resident",
    "organisation",
    "staff",
    "moderator",
    "council",
    "town admin",
    "platform admin",
    "themselves",
]
OFFICE = {"staff", "moderator", "council", "town admin"}


def _allowed(actor: str, target: str) -> bool:
    if target in {"themselves", "platform admin"}:
        return False
    if actor in {"town admin", "platform admin"}:
        return True
    if actor == "moderator":
        return target not in OFFICE
    return False


ROLE_OF = {
    "resident": Role.RESIDENT,
    "organisation": Role.ORGANISATION,
    "staff": Role.STAFF,
    "moderator": Role.MODERATOR,
    "council": Role.COUNCIL,
    "town admin": Role.ADMIN,
}


def _actor(name: str, town):
    if name == "platform admin":
        return UserFactory(is_superuser=True, is_staff=True)
    if name == "admin of another town":
        return person_with_role(MunicipalityFactory(), Role.ADMIN)
    return person_with_role(town, ROLE_OF[name])


def _target(name: str, town, actor):
    if name == "themselves":
        return actor
    if name == "platform admin":
        # A platform admin who also lives in the town.
        return person_with_role(town, Role.RESIDENT, is_superuser=True, is_staff=True)
    return person_with_role(town, ROLE_OF[name])


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_warn_block_and_unblock_whom(actor, target):
    town = MunicipalityFactory()
    acting = _actor(actor, town)
    person = _target(target, town, acting)
    subject = PersonInTown(municipality=town, person=person)
    expected = _allowed(actor, target)
    for rule in ("moderation.can_warn", "moderation.can_block", "moderation.can_unblock"):
        assert rules.test_rule(rule, acting, subject) is expected, rule

    if expected:
        user_warn(moderator=acting, municipality=town, user=person, reason="Bitte sachlich.")
        user_block(moderator=acting, municipality=town, user=person, reason="Beleidigungen.")
        user_unblock(moderator=acting, municipality=town, user=person, reason="Einsicht.")
        return
    # Someone else blocked them (where anyone may), so that lifting the block is tried too.
    if target not in {"themselves", "platform admin"}:
        user_block(
            moderator=UserFactory(is_superuser=True),
            municipality=town,
            user=person,
            reason="Gesperrt von der Plattform.",
        )
    blocks = Block.objects.filter(user=person, lifted_at__isnull=True).count()
    for act in (user_warn, user_block, user_unblock):
        with pytest.raises(PermissionDenied):
            act(moderator=acting, municipality=town, user=person, reason="Versuch ohne Recht.")
    assert Block.objects.filter(user=person, lifted_at__isnull=True).count() == blocks
    assert not Notification.objects.filter(user=person, message__contains="Verwarnung").exists()


def test_a_moderator_is_told_why_and_offered_nothing_on_an_office_holders_page(client):
    from django.urls import reverse  # noqa: PLC0415

    town = MunicipalityFactory()
    council = person_with_role(town, Role.COUNCIL, public_name="Ratsfrau Berg")
    client.force_login(person_with_role(town, Role.MODERATOR))
    url = reverse("moderation:person", args=[town.slug, council.pk])
    page = client.get(url).content.decode()
    assert "nur die Admins der Kommune" in page
    assert 'value="block"' not in page
    response = client.post(url, {"action": "block", "reason": "Unliebsame Meinung."})
    assert response.status_code == 403
    assert "nur die Admins der Kommune" in response.content.decode()
    assert not Block.objects.filter(user=council).exists()

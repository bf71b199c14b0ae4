"""Invitations by e-mail: the link works once, until it expires, not after it was withdrawn or
sent anew; only its hash is stored; a new person registers through it (the link confirms the
address), an existing account accepts after logging in; nobody can be mail-bombed with it."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
import rules
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from koproduktion.accounts.models import Invitation, User
from koproduktion.accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_withdraw,
    invitations_expired_delete,
)
from koproduktion.core.models import AuditEntry
from koproduktion.core.ratelimit import RateLimited
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    PASSWORD,
    DepartmentFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Rathaus-am-Markt-2026"


@pytest.fixture
def town():
    return MunicipalityFactory(name="Musterstadt", slug="musterstadt")


@pytest.fixture
def admin(town):
    return person_with_role(town, Role.ADMIN, public_name="Frau Admin")


@pytest.fixture
def planning(town):
    return DepartmentFactory(municipality=town, name="Stadtplanung")


def _invite(
    admin, town, *, email="neu@example.org", roles=("staff",), departments=(), ip="10.0.0.1"
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return invitation_create(
            actor=admin,
            municipality=town,
            email=email,
            roles=list(roles),
            departments=list(departments),
            base_url="http://testserver/",
            ip=ip,
            language="de",
        )


def _resend(admin, invitation, ip="10.0.0.1"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return invitation_resend(
            actor=admin,
            invitation=invitation,
            base_url="http://testserver/",
            ip=ip,
            language="de",
        )


def _link(message) -> str:
    return re.search(r"http://testserver(/konto/einladung/\S+/)", message.body).group(1)


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def _register(client, link, **overrides):
    data = {
        "public_name": "Neue Planerin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
        **overrides,
    }
    return client.post(link, data)


def test_a_new_person_registers_through_the_link_and_has_the_roles(client, town, admin, planning):
    _invite(admin, town, email="Neu@Example.org", departments=[planning])
    (message,) = mail.outbox
    assert message.to == ["neu@example.org"]
    assert "Musterstadt" in message.subject
    assert "Frau Admin" in message.body
    assert "Verwaltung" in message.body
    assert "Stadtplanung" in message.body
    link = _link(message)

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "neu@example.org" in html
    assert 'name="public_name"' in html
    assert 'name="email"' not in html  # the address is the invited one

    response = _register(client, link, password2="vertippt-123")
    assert response.status_code == 200
    assert "Die beiden Passwörter stimmen nicht überein." in response.content.decode()
    assert 'value="Neue Planerin"' in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()

    response = _register(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:municipality", args=[town.slug])
    person = User.objects.get(email="neu@example.org")
    assert person.email_confirmed  # the link proved the mailbox
    assert person.privacy_notice_accepted_at is not None
    staff = person.memberships.get(municipality=town)
    assert staff.role == Role.STAFF
    assert list(staff.departments.all()) == [planning]
    # Logged in at once, and the department's inbox is theirs.
    assert client.get(reverse("routing:inbox", args=[town.slug])).status_code == 200
    header = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert reverse("routing:inbox", args=[town.slug]) in header

    client.logout()
    again = client.get(link)
    assert again.status_code == 400
    assert "schon angenommen" in again.content.decode()
    assert _register(client, link, public_name="Jemand Anderes").status_code == 400


def test_only_the_hash_of_the_link_is_stored(town, admin):
    invitation = _invite(admin, town)
    token = _token(_link(mail.outbox[0]))
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in Invitation.objects.values_list().get()]
    assert not any(token in value for value in stored)
    # The log names the invitation by number; the address stays out of it for good.
    entry = AuditEntry.objects.get(action="accounts.invitation_create")
    assert entry.target_repr == f"Einladung Nr. {invitation.pk}"
    assert "neu@example.org" not in str(entry.before) + str(entry.after) + entry.target_repr
    assert entry.after["roles"] == ["staff"]


def test_an_existing_account_logs_in_and_accepts(client, town, admin):
    lena = UserFactory(email="lena@example.org", public_name="Lena")
    _invite(admin, town, email="lena@example.org", roles=["moderator", "council"])
    link = _link(mail.outbox[0])
    page = client.get(link).content.decode()
    assert "gibt es schon ein Konto" in page
    assert 'name="public_name"' not in page
    assert f"{reverse('accounts:login')}?next={link}" in page.replace("%2F", "/")

    client.post(
        reverse("accounts:login") + f"?next={link}",
        {"username": "lena@example.org", "password": PASSWORD},
    )
    assert "Einladung annehmen" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert {m.role for m in lena.memberships.all()} == {Role.MODERATOR, Role.COUNCIL}
    entry = AuditEntry.objects.get(action="accounts.invitation_accept")
    assert entry.actor == lena
    assert client.get(reverse("moderation:queue", args=[town.slug])).status_code == 200


def test_another_account_cannot_take_the_invitation(client, town, admin):
    _invite(admin, town, email="lena@example.org", roles=["admin"])
    link = _link(mail.outbox[0])
    intruder = UserFactory(email="jemand@example.org")
    client.force_login(intruder)
    page = client.get(link)
    assert page.status_code == 403
    assert "gilt für eine andere Adresse" in page.content.decode()
    assert client.post(link).status_code == 403
    assert not intruder.memberships.exists()
    with pytest.raises(PermissionDenied):
        invitation_accept(actor=intruder, token=_token(link))
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_link_says_so(client, town, admin):
    invitation = _invite(admin, town)
    link = _link(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    page = client.get(link)
    assert page.status_code == 400
    assert "abgelaufen" in page.content.decode()
    assert _register(client, link).status_code == 400
    assert not User.objects.filter(email="neu@example.org").exists()


def test_a_withdrawn_link_and_the_old_link_of_a_resent_one_stop_working(client, town, admin):
    invitation = _invite(admin, town)
    first = _link(mail.outbox[0])
    _resend(admin, invitation)
    second = _link(mail.outbox[1])
    assert first != second
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200
    invitation_withdraw(actor=admin, invitation=invitation)
    page = client.get(second)
    assert page.status_code == 400
    assert "zurückgezogen" in page.content.decode()
    # Withdrawn, the address can be invited again.
    _invite(admin, town)
    assert client.get(_link(mail.outbox[2])).status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.invitation_resend", "accounts.invitation_withdraw"} <= actions


def test_made_up_links_are_refused_with_a_reason(client):
    for token in ("gibt-es-nicht", "x" * 300, "A" * 43):
        page = client.get(reverse("accounts:invitation", args=[token]))
        assert page.status_code == 400
        assert "ungültig" in page.content.decode()


def test_one_open_invitation_per_address_and_town(town, admin):
    _invite(admin, town)
    with pytest.raises(ValidationError) as refused:
        _invite(admin, town)
    assert "schon eine Einladung unterwegs" in refused.value.message_dict["email"][0]
    assert len(mail.outbox) == 1
    # Expired, it is closed and replaced.
    Invitation.objects.update(expires_at=timezone.now())
    _invite(admin, town)
    assert Invitation.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert len(mail.outbox) == 2


def test_only_the_towns_admins_invite_resend_and_withdraw(town, admin):
    for role in (Role.STAFF, Role.MODERATOR, Role.COORDINATION):
        with pytest.raises(PermissionDenied):
            _invite(person_with_role(town, role), town)
    invitation = _invite(admin, town)
    elsewhere = person_with_role(MunicipalityFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        _resend(elsewhere, invitation)
    with pytest.raises(PermissionDenied):
        invitation_withdraw(actor=elsewhere, invitation=invitation)
    assert len(mail.outbox) == 1


def test_nobody_is_mail_bombed(town, admin, settings):
    """A mailbox gets its daily budget of mails, whoever invites from wherever, resends
    included; and an admin has a budget of invitations of their own."""
    invitation = _invite(admin, town, email="ziel@example.org")
    for number in range(7):
        _resend(admin, invitation, ip=f"10.0.1.{number}")
    assert len(mail.outbox) == 8
    with pytest.raises(RateLimited):
        _resend(admin, invitation, ip="10.0.2.1")
    other_town = MunicipalityFactory()
    other_admin = person_with_role(other_town, Role.ADMIN)
    with pytest.raises(RateLimited):
        _invite(other_admin, other_town, email="ziel@example.org", ip="10.0.3.1")
    assert len(mail.outbox) == 8

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation": ("3/h", None)}
    mail.outbox.clear()
    for number in range(3):
        _invite(other_admin, other_town, email=f"person{number}@example.org")
    with pytest.raises(RateLimited):
        _invite(other_admin, other_town, email="person9@example.org")
    assert len(mail.outbox) == 3
    assert not Invitation.objects.filter(email="person9@example.org").exists()


def test_inviting_tells_nothing_about_accounts(client, town, admin):
    """An invitation goes out alike whether or not the address has an account; only its owner
    reads which way the link leads."""
    UserFactory(email="bekannt@example.org")
    client.force_login(admin)
    pages = []
    for email in ("bekannt@example.org", "unbekannt@example.org"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("roles:list", args=[town.slug]),
                {"email": email, "roles": ["council"], "aktion": "einladen"},
                follow=True,
            )
        html = response.content.decode().replace(email, "ADRESSE")
        pages.append(re.search(r'<div class="messages".*?</div>', html, re.S).group(0))
        assert "Bitte prüfen Sie Ihre Eingaben" not in html
    assert pages[0] == pages[1]
    assert "Die Einladung an ADRESSE ist unterwegs." in pages[0]
    assert [m.to for m in mail.outbox] == [["bekannt@example.org"], ["unbekannt@example.org"]]


def test_roles_held_already_are_not_invited_again(town, admin):
    person_with_role(town, Role.MODERATOR, email="lena@example.org")
    with pytest.raises(ValidationError) as refused:
        _invite(admin, town, email="lena@example.org", roles=["moderator"])
    assert "schon die Rolle Moderation" in refused.value.message_dict["roles"][0]
    assert not mail.outbox


def test_the_page_in_the_header_of_a_granted_role(client, town, admin, planning):
    """What a role opens follows from the role: no flag, nothing else to set."""
    _invite(admin, town, departments=[planning])
    _register(client, _link(mail.outbox[0]))
    person = User.objects.get(email="neu@example.org")
    assert not person.is_staff
    assert rules.test_rule("routing.can_view_inbox", person, planning)


def test_old_invitations_of_people_who_never_came_are_deleted(town, admin, settings):
    waiting = _invite(admin, town, email="wartet@example.org")
    old = _invite(admin, town, email="alt@example.org")
    past = timezone.now() - datetime.timedelta(days=settings.RETENTION_DAYS_UNCONFIRMED_ACCOUNT + 1)
    Invitation.objects.filter(pk=old.pk).update(expires_at=past)
    assert invitations_expired_delete() == 1
    assert list(Invitation.objects.all()) == [waiting]

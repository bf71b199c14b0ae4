"""Every request that makes the platform send mail is limited, per address and per mailbox.

Nobody can make the platform mail-bomb a stranger: the mailbox a mail goes to has a budget of its
own, whoever asks and from wherever, and it is counted the same whether or not an account exists,
so a refusal tells nothing either.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from koproduktion.core.ratelimit import rate_limits
from koproduktion.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Radweg-am-Fluss-2026"
WAIT = "Bitte warten Sie"


def _post(client, url, data, *, ip):
    # Mail goes out when the request's transaction commits, as it would outside a test.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, REMOTE_ADDR=ip)


def _register(client, email, *, ip):
    return _post(
        client,
        reverse("accounts:register"),
        {
            "email": email,
            "public_name": f"{ip} {email}"[:40],
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
        ip=ip,
    )


def _reset(client, email, *, ip):
    return _post(client, reverse("accounts:password_reset"), {"email": email}, ip=ip)


def _resend(client, email, *, ip):
    return _post(client, reverse("accounts:resend_confirmation"), {"email": email}, ip=ip)


def _mailbox_limit() -> int:
    per_mailbox, _unused = rate_limits("mailbox")
    return per_mailbox.limit


def _address_limit(action: str) -> int:
    _unused, per_address = rate_limits(action)
    return per_address.limit


REQUESTS = {"register": _register, "password_reset": _reset, "confirmation_resend": _resend}


@pytest.mark.parametrize("action", sorted(REQUESTS))
def test_one_address_cannot_send_mail_without_end(client, action):
    UserFactory(email="ziel@example.org", email_confirmed_at=None)
    for n in range(_address_limit(action)):
        REQUESTS[action](client, f"ziel{n}@example.org", ip="198.51.100.7")
    before = len(mail.outbox)
    response = REQUESTS[action](client, "noch-eine@example.org", ip="198.51.100.7")
    assert response.status_code == 429
    assert WAIT in response.content.decode()
    assert len(mail.outbox) == before
    # Someone else, elsewhere, is not held up.
    response = REQUESTS[action](client, "anderswo@example.org", ip="198.51.100.8")
    assert response.status_code in {200, 302}


def test_a_mailbox_gets_a_bounded_number_of_mails_whoever_asks(client):
    UserFactory(email="opfer@example.org", email_confirmed_at=None)
    requests = [_register, _reset, _resend]
    for n in range(3 * _mailbox_limit()):
        requests[n % 3](client, "opfer@example.org", ip=f"203.0.113.{n + 1}")
    assert len(mail.outbox) == _mailbox_limit()
    assert {message.to[0] for message in mail.outbox} == {"opfer@example.org"}


def test_the_mailbox_limit_answers_alike_with_or_without_an_account(client):
    UserFactory(email="gibt-es@example.org")
    answers = {}
    for email in ("gibt-es@example.org", "gibt-es-nicht@example.org"):
        for n in range(_mailbox_limit()):
            _reset(client, email, ip=f"203.0.113.{n + 1}")
        response = _reset(client, email, ip="192.0.2.77")
        html = response.content.decode().replace(email, "…")
        # Apart from the form's token, which differs on every page.
        answers[email] = (response.status_code, re.sub(r'value="[^"]{64}"', "", html))
    assert answers["gibt-es@example.org"] == answers["gibt-es-nicht@example.org"]
    assert answers["gibt-es@example.org"][0] == 429
    assert WAIT in answers["gibt-es@example.org"][1]


def test_a_limited_form_keeps_what_was_typed(client):
    for n in range(_address_limit("register")):
        _register(client, f"neu{n}@example.org", ip="198.51.100.7")
    response = _register(client, "spaet@example.org", ip="198.51.100.7")
    html = response.content.decode()
    assert response.status_code == 429
    assert 'value="spaet@example.org"' in html
    assert 'value="198.51.100.7 spaet@example.org"' in html

"""Checking passwords, with the lock-out that stops guessing (``core.ratelimit``).

Every place that takes a password counts against the same lock: the log-in (the site's and the
admin's, which is the same page) and the forms that change log-in security. The account is named
by the address as typed, whether or not an account has it, so a lock tells nothing about who is
registered.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from koproduktion.core.ratelimit import client_ip, lockout_attempt, lockout_success

from .models import User


def login_authenticate(*, request: HttpRequest, email: str, password: str) -> User | None:
    """The person with this e-mail address and password, or None.

    Raises ``ratelimit.LockedOut`` while the address typed or the client's address is locked
    after too many failures; the right password does not get in then either. A success forgets
    the account's failures.
    """
    ip = client_ip(request)
    lockout_attempt(action="login", account=email, ip=ip)
    user = authenticate(request, username=email, password=password)
    if user is not None:
        lockout_success(action="login", account=email, ip=ip)
    return user


def password_confirm(*, user: User, password: str, ip: str) -> None:
    """Check the password before a change of log-in security; raises ValidationError.

    Counts like a log-in with the person's address, so the form cannot be used to guess a
    password that the log-in would not let anyone guess.
    """
    lockout_attempt(action="login", account=user.email, ip=ip)
    if not user.check_password(password):
        raise ValidationError({"password": _("Das Passwort stimmt nicht.")}, code="wrong_password")
    lockout_success(action="login", account=user.email, ip=ip)

"""Signed, expiring tokens for the e-mail confirmation link. Nothing is stored for them."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_SALT = "koproduktion.accounts.confirm-email"


def confirmation_token(*, user_id: int, email: str) -> str:
    # The address is part of the token, so a link stops working when the address changes.
    return signing.dumps({"user": user_id, "email": email}, salt=_SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, str]:
    """Return (user id, e-mail) or raise ``signing.BadSignature`` (expired links included)."""
    data = signing.loads(token, salt=_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    return int(data["user"]), str(data["email"])

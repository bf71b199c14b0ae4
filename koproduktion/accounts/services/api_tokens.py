"""Personal API keys: made, revoked and checked; only their hashes are stored."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken, User
from .registration import secret_hash

# Personal API tokens: "kp_" and 43 URL-safe characters (256 random bits).
API_TOKEN_PREFIX = "kp_"  # noqa: S105 - the public start of every key, not a secret
API_TOKEN_PATTERN = re.compile(r"kp_[A-Za-z0-9_-]{43}")
API_TOKEN_VISIBLE = 11  # "kp_" and eight characters, enough to tell one's keys apart
API_TOKENS_PER_PERSON = 20
# last_used_at is kept to the minute, so a busy client does not write on every request.
API_TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class ApiTokenRejected(Exception):
    """The token cannot be used; ``reason`` says why, in words for the client's developer."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with the plain key, which is never stored.

    Show the plain key to the person once; afterwards only its prefix is known.
    """
    # Lock the person's row so that two requests at once cannot pass the limit together.
    User.objects.select_for_update().filter(pk=user.pk).first()
    name = name.strip()
    if not name:
        raise ValidationError(_("Bitte geben Sie dem Schlüssel eine Bezeichnung."), code="required")
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= API_TOKENS_PER_PERSON:
        raise ValidationError(
            _(
                "Sie haben schon %(count)d aktive Schlüssel. Widerrufen Sie einen, bevor Sie "
                "einen neuen erstellen."
            )
            % {"count": API_TOKENS_PER_PERSON},
            code="too_many",
        )
    plain_token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=plain_token[:API_TOKEN_VISIBLE],
        token_hash=secret_hash(plain_token),
    )
    token.full_clean()
    token.save()
    return token, plain_token


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens; revoking twice keeps the first date.

    Raises ``ApiToken.DoesNotExist`` for a token that is not theirs.
    """
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def api_tokens_delete(*, user: User) -> int:
    """Delete all of ``user``'s API keys (account deletion)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


def api_token_authenticate(*, plain_token: str) -> ApiToken:
    """The active token for ``plain_token``, with its user; raises ApiTokenRejected.

    The row is found by its prefix and the hash compared in constant time, so the response time
    does not tell how much of a guessed hash was right. Records the use (to the minute).
    """
    if not API_TOKEN_PATTERN.fullmatch(plain_token):
        raise ApiTokenRejected(_("Der API-Schlüssel hat nicht das erwartete Format."))
    digest = secret_hash(plain_token)
    candidates = ApiToken.objects.select_related("user").filter(
        prefix=plain_token[:API_TOKEN_VISIBLE]
    )
    token = next(
        (c for c in candidates if hmac.compare_digest(c.token_hash, digest)),
        None,
    )
    if token is None:
        raise ApiTokenRejected(_("Dieser API-Schlüssel ist unbekannt."))
    if token.revoked_at is not None:
        raise ApiTokenRejected(_("Dieser API-Schlüssel wurde widerrufen."))
    if not token.user.is_active:
        raise ApiTokenRejected(_("Dieses Konto ist gesperrt."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_RESOLUTION:
        # A conditional update: of concurrent requests, one writes and the others do nothing.
        ApiToken.objects.filter(pk=token.pk).filter(
            models.Q(last_used_at__isnull=True)
            | models.Q(last_used_at__lte=now - API_TOKEN_USE_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token

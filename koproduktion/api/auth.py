"""Authentication for the API's write endpoints: the browser session or a personal API token.

    from koproduktion.api.auth import session_or_token

    @router.post("/ideas", auth=session_or_token)
    def create_idea(request, payload: IdeaIn): ...  # request.auth is the User

- ``Authorization: Bearer kp_…``: a personal token (Mein Konto → API-Schlüssel). No CSRF check,
  since a browser never sends this header on its own; ``request.api_token`` is the token.
- otherwise the session cookie of a logged-in person, with Django's CSRF check as ninja's
  ``django_auth`` does it (the ``X-CSRFToken`` header); ``request.api_token`` is None.

Every refusal is a 401 (403 for a failed CSRF check, 429 while an address that sent too many
wrong keys is locked) with ``{"detail": reason}``, never a 500.
With a token, ``request.user`` is set to its owner too, so rules asked with ``request.user`` see
the same person.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from koproduktion.accounts.services import ApiTokenRejected, api_token_authenticate
from koproduktion.core.ratelimit import client_ip, lockout_attempt, lockout_success


class SessionOrToken(HttpBearer):
    """A ninja auth class; the OpenAPI document shows the bearer scheme."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        request.api_token = None  # type: ignore[attr-defined]
        if header:
            scheme, _space, credentials = header.strip().partition(" ")
            if scheme.lower() != "bearer":
                raise HttpError(
                    401, _("Nur API-Schlüssel als „Authorization: Bearer …“ werden angenommen.")
                )
            return self.authenticate(request, credentials.strip())
        if not request.user.is_authenticated:
            raise HttpError(
                401, _("Bitte melden Sie sich an oder senden Sie einen API-Schlüssel (Bearer).")
            )
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("Die CSRF-Prüfung ist fehlgeschlagen."))
        return request.user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Keys are far too long to guess, but an address sending one wrong key after another
        # is locked all the same (429 with Retry-After), before any lookup is made.
        ip = client_ip(request)
        lockout_attempt(action="api_token", account=None, ip=ip)
        try:
            api_token = api_token_authenticate(plain_token=token)
        except ApiTokenRejected as rejected:
            raise HttpError(401, rejected.reason) from rejected
        lockout_success(action="api_token", account=None, ip=ip)
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token.user


session_or_token = SessionOrToken()

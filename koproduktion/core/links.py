"""Absolute addresses for links that leave the page: in e-mails, calendar feeds, reminders.

Within a request the address is the one the person reached the site by (scheme, host and port
as the request shows them, behind the TLS proxy too); outside one (a background task, a
scheduled reminder) it is ``SITE_URL``, which ``make run`` sets from its ``HOST`` and ``PORT``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """Scheme and host, without a trailing slash."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (starting with a slash) as an address that works outside the site's pages."""
    return site_url(request) + path

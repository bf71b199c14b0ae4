"""The Content-Security-Policy of every answer (django-csp): scripts and styles only from the site.

The policy itself is ``CONTENT_SECURITY_POLICY`` in the settings. No page has an inline script, a
style attribute or block, an event-handler attribute or a ``javascript:`` link (a test reads every
page for them), so none is allowed. This middleware adds what depends on the request:

- ``img-src``: the host of the map tiles, from ``MAP_TILE_URL`` as it is now.
- Django's admin: ``style-src 'unsafe-inline'``. Its change lists write a ``<style>`` block when a
  list has no actions; admin widgets set style attributes. Scripts stay as strict as anywhere.
- The API's documentation (Swagger UI): ``img-src data:`` for the icons in its stylesheet.

Uploaded files get a stricter policy of their own (``core.media``), which this leaves alone.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase

API_DOCS = "api-v1:openapi-view"
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def tile_source(url: str) -> str | None:
    """The source that allows the map tiles of ``url``; None when the site serves them itself.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    first, dot, rest = parts.netloc.partition(".")
    if _PLACEHOLDER.search(rest):
        raise ImproperlyConfigured(
            "MAP_TILE_URL may have a placeholder such as {s} only in the first part of its host."
        )
    host = ("*" if _PLACEHOLDER.search(first) else first) + dot + rest
    return f"{parts.scheme}://{host}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        additions: dict[str, list[str]] = {"img-src": []}
        tiles = tile_source(settings.MAP_TILE_URL)
        if tiles:
            additions["img-src"].append(tiles)
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces:
            additions["style-src"] = [UNSAFE_INLINE]
        if match is not None and match.view_name == API_DOCS:
            additions["img-src"].append("data:")
        parts.update = _merged(additions, parts.update or {})
        return parts


def _merged(ours: dict[str, list[str]], views: dict[str, Any]) -> dict[str, list[str]]:
    """Our additions and a view's own (``csp_update``), neither losing the other's."""
    merged = {key: list(sources) for key, sources in ours.items() if sources}
    for key, sources in views.items():
        merged.setdefault(key, []).extend([sources] if isinstance(sources, str) else sources)
    return merged

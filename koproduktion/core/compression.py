"""Pages, API answers and feeds leave the app gzip-compressed, when the browser accepts it.

Static files are compressed once, at ``collectstatic`` (whitenoise's storage writes a ``.gz``
beside each file), and whitenoise answers them before this middleware is reached. What is left
are the answers the app renders: HTML (a page is a third to a sixth of its size compressed), JSON,
CSV, iCal and Atom. Uploaded files (PDFs, photos) and ZIP exports are compressed already and are
sent as they are; so is every answer that carries a ``Content-Encoding`` of its own.

Django's ``GZipMiddleware`` pads each answer with up to 100 random bytes in the gzip header
(Django 4.2+, "Heal the Breach"), so the compressed length does not tell an attacker who can
inject text into a page whether a guess at a secret on it (the form token) was right; the form
token is also masked anew on every response. The cached pages (``core.page_cache``) keep the
uncompressed page and are compressed per response, like everything else: the page cache is
inside the view, this middleware outside it. ``Vary: Accept-Encoding`` is added to every answer
that could have been compressed; a strong ``ETag`` becomes weak when the body is compressed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Types whose bodies shrink under gzip; parameters (``; charset=utf-8``) are ignored.
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/atom+xml",
        "application/geo+json",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }
)


def compressible(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind in COMPRESSIBLE_TYPES


class TextCompressionMiddleware(GZipMiddleware):
    """``GZipMiddleware`` for text only. Place it right below whitenoise's middleware and above
    every middleware that reads or changes the body (the bidi filter, the policy header)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)

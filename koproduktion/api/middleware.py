"""Refusals from outside the API's operations, in the API's format.

An operation's own refusals already are JSON (``api.py``'s exception handlers). Some answers under
/api/v1/ never reach an operation: an unknown path (Django's 404 page), a method the path does not
take (django-ninja's plain-text 405), a malformed address (the site's 400 page). A script reading
the API gets those as ``{"detail": reason}`` too, with the status and headers (``Allow``) kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def _reason(response: HttpResponse) -> str:
    status = response.status_code
    if status == 404:
        return _("Nicht gefunden.")
    if status == 405:
        return _("Diese Methode ist hier nicht erlaubt. Erlaubt: %(methods)s.") % {
            "methods": response.get("Allow", "")
        }
    if status >= 500:
        return _("Ein Fehler auf dem Server. Bitte versuchen Sie es später noch einmal.")
    if status == 403:
        return _("Das ist Ihnen nicht erlaubt.")
    return _("Diese Anfrage ist fehlerhaft und kann nicht bearbeitet werden.")


class ApiErrorsAsJsonMiddleware:
    """Under the API's path, turn an error answer that is not JSON into ``{"detail": …}``.

    Sits inside the language middleware, so that the reason is in the person's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        try:
            prefix = reverse("api-v1:api-root")
        except NoReverseMatch:  # a URL configuration without the API
            return response
        if not request.path.startswith(prefix):
            return response
        detail = getattr(response, "refusal_reason", "") or _reason(response)
        answer = JsonResponse({"detail": detail}, status=response.status_code)
        for header in ("Allow", "Retry-After", "Content-Language", "Vary"):
            if header in response:
                answer[header] = response[header]
        return answer

"""Ask people to accept a changed privacy notice before they go on."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .services import privacy_notice_outdated


class PrivacyConsentMiddleware:
    """Send a logged-in person who accepted an earlier privacy notice to the consent page.

    What they may still do without accepting: read the notice and the imprint, log out,
    download their data, delete the account, switch the language. The API is left alone (its
    clients are programs, which answer no interstitial); static files never reach here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _exempt(self, path: str) -> bool:
        open_paths = (
            reverse("accounts:privacy_consent"),
            reverse("accounts:logout"),
            reverse("accounts:data_export"),
            reverse("accounts:delete"),
            reverse("privacy_notice"),
            reverse("imprint"),
            "/sprache/",
            "/api/",
            "/healthz",
            settings.STATIC_URL,
            settings.MEDIA_URL,
        )
        return path.startswith(open_paths)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and privacy_notice_outdated(user)
            and not self._exempt(request.path)
        ):
            # After a form was sent, come back to the page it was on rather than to its target.
            back = request.get_full_path() if request.method == "GET" else "/"
            query = urlencode({"next": back})
            return HttpResponseRedirect(f"{reverse('accounts:privacy_consent')}?{query}")
        return self.get_response(request)

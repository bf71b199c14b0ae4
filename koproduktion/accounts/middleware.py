"""Send people where they must go before they go on: to accept a changed privacy notice, and
to set up two-factor log-in where a municipality requires it of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from koproduktion.core.models import Municipality
from koproduktion.core.rules import two_factor_missing

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


class TwoFactorRequiredMiddleware:
    """A page of a municipality that requires two-factor log-in of its staff, moderators and
    admins, or the admin site, opened by such a person without it: the set-up page instead.

    The roles themselves are withheld by ``core.rules.roles_by_municipality`` (for pages, the API
    and the admin alike); this only tells the person why and where to go. Other municipalities'
    pages and the person's own account stay open.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        slug = view_kwargs.get("municipality_slug")
        match = request.resolver_match
        in_admin = match is not None and "admin" in match.namespaces
        if (slug is None and not in_admin) or not request.user.is_authenticated:
            return None
        missing = two_factor_missing(request.user)
        if not missing or not (in_admin or slug in missing.values()):
            return None
        names = Municipality.objects.filter(pk__in=missing).values_list("name", flat=True)
        messages.warning(
            request,
            _(
                "%(towns)s verlangt für Verwaltung, Moderation und Admins die "
                "Zwei-Faktor-Anmeldung. Richten Sie sie hier ein; danach geht es weiter."
            )
            % {"towns": ", ".join(names)},
        )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse("accounts:two_factor") + (f"?{query}" if query else ""))

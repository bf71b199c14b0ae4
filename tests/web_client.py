"""A person's browser, for the tests that talk to app servers over HTTP.

    person = Browser()
    person.log_in(server_a, "buergerin@musterstadt.example")
    page = person.get(server_b + "/konto/")

One cookie jar for every port of 127.0.0.1, as a browser keeps one for a site: two app servers on
two ports are two machines behind one load balancer. Forms are sent with the CSRF token of the
cookie, as the form on the page would send it. Redirects are followed unless asked not to.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
DEMO_PASSWORD = "Koproduktion-Demo"  # every demo account's (README)


@dataclass(frozen=True)
class Answer:
    status: int
    url: str
    headers: dict[str, str]
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self._following = urllib.request.build_opener(cookies)
        self._staying = urllib.request.build_opener(cookies, _NoRedirect)

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)

    def forget(self, name: str) -> None:
        """Drop a cookie, as the browser does when its Max-Age has passed."""
        for cookie in [cookie for cookie in self.jar if cookie.name == name]:
            self.jar.clear(cookie.domain, cookie.path, cookie.name)

    def get(self, url: str, *, follow: bool = True) -> Answer:
        return self._open(urllib.request.Request(url), follow=follow)  # noqa: S310 - see _open

    def post(self, url: str, data: dict[str, str], *, follow: bool = True) -> Answer:
        """Send a form; fetches the page first when there is no CSRF cookie yet."""
        if self.cookie("csrftoken") is None:
            self.get(url)
        body = urlencode({**data, "csrfmiddlewaretoken": self.cookie("csrftoken") or ""})
        request = urllib.request.Request(url, data=body.encode(), method="POST")  # noqa: S310
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._open(request, follow=follow)

    def log_in(self, base_url: str, email: str, password: str = DEMO_PASSWORD) -> Answer:
        return self.post(
            base_url + "/konto/anmelden/", {"username": email, "password": password}, follow=False
        )

    def _open(self, request: urllib.request.Request, *, follow: bool) -> Answer:
        parts = urlsplit(request.full_url)
        if parts.scheme != "http" or parts.hostname != HOST:
            raise ValueError(f"Only {HOST} is ever asked, not {request.full_url}.")
        request.add_header("Accept-Language", "de")
        opener = self._following if follow else self._staying
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            return Answer(
                status=response.status,
                url=response.url,
                headers={key.lower(): value for key, value in response.headers.items()},
                text=response.read().decode("utf-8", "replace"),
            )

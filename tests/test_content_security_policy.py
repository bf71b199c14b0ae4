"""Every page carries a Content-Security-Policy that lets no inline code run, and needs none.

An uploaded file or a piece of user text that slips HTML into a page cannot run a script under
this policy: scripts and styles load only from the site's own files. So that the policy breaks
nothing, every page of the demo town (found through the URL configuration, as in
``test_bad_input_pages``) is walked as visitor, resident and administrator, and its HTML read for
inline scripts, style attributes and blocks, event-handler attributes and ``javascript:`` links.
The browser tests (tests/e2e) fail on any violation the browser reports.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from koproduktion.accounts.models import User
from koproduktion.core.csp import tile_source
from koproduktion.projects.models import Project

from .bad_input_demo import IDEAS_PROJECT, TOWN, Demo, log_in
from .test_bad_input_pages import PAGES

pytestmark = pytest.mark.django_db

# Data for scripts, which no browser runs (``json_script``).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def strict_policy_problems(response) -> list[str]:
    policy = directives(response)
    if not policy:
        return ["no Content-Security-Policy header"]
    problems = []
    expected = {
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    for name, sources in expected.items():
        if policy.get(name) != sources:
            problems.append(f"{name} is {policy.get(name)}, not {sources}")
    loose = [s for sources in policy.values() for s in sources if s.startswith("'unsafe")]
    problems += [f"allows {source}" for source in loose]
    return problems


class InlineCode(HTMLParser):
    """What in a page would need ``'unsafe-inline'``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "script" and "src" not in a and a.get("type", "") not in DATA_SCRIPT_TYPES:
            self.found.append(f"<script> without src: {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("<style> block")
        for key, value in a.items():
            if key == "style":
                self.found.append(f"style attribute on <{tag}>: {value[:60]}")
            elif key.startswith(("on", "hx-on")):
                self.found.append(f"event handler {key} on <{tag}>")
            elif key in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {key} on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_page_has_the_policy_and_no_inline_code(demo: Demo, page):
    problems = []
    for who in ("anonymous", "resident", "admin"):
        client = Client(raise_request_exception=False)
        log_in(client, demo, who)
        response = client.get(page.url(demo), follow=True)
        where = f"{response.request['PATH_INFO']} as {who}"
        problems += [f"{where}: {p}" for p in strict_policy_problems(response)]
        if response.get("Content-Type", "").startswith("text/html"):
            problems += [f"{where}: {p}" for p in inline_code(response.content.decode())]
    assert not problems, "\n".join(problems)


def test_error_pages_have_the_policy(demo, web):
    for path in ("/gibt-es-nicht/", "/musterstadt/vorhaben/gibt-es-nicht/"):
        response = web.get(path)
        assert response.status_code == 404
        assert strict_policy_problems(response) == []
        assert inline_code(response.content.decode()) == []


def test_the_map_tiles_host_may_send_images(demo, web, settings):
    settings.MAP_TILE_URL = "https://{s}.kacheln.example.org/{z}/{x}/{y}.png"
    policy = directives(web.get("/musterstadt/"))
    assert policy["img-src"] == ["'self'", "https://*.kacheln.example.org"]
    settings.MAP_TILE_URL = "/kacheln/{z}/{x}/{y}.png"  # served by the site itself
    assert directives(web.get("/musterstadt/"))["img-src"] == ["'self'"]


def test_the_api_documentation_runs_under_a_policy_too(demo, web):
    response = web.get(reverse("api-v1:openapi-view"))
    assert response.status_code == 200
    assert strict_policy_problems(response) == []
    assert inline_code(response.content.decode()) == []


def test_the_admin_keeps_scripts_strict(demo, web):
    """Django's admin writes a <style> block on some lists; styles are relaxed there, scripts not."""
    web.force_login(User.objects.get(email="plattform@koproduktion.example"))
    project = Project.objects.get(municipality__slug=TOWN, slug=IDEAS_PROJECT)
    for name, args in (
        ("admin:index", []),
        ("admin:projects_project_changelist", []),
        ("admin:projects_project_change", [project.pk]),
    ):
        response = web.get(reverse(name, args=args))
        assert response.status_code == 200, name
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], name
        assert inline_code(response.content.decode()) in ([], ["<style> block"]), name


def test_the_tile_source_comes_from_the_tile_url():
    assert tile_source("https://tile.example.org/{z}/{x}/{y}.png") == "https://tile.example.org"
    assert tile_source("http://{s}.localhost:9/{z}.png") == "http://*.localhost:9"
    assert tile_source("") is None
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
        tile_source("https://tiles.{s}.example.org/{z}/{x}/{y}.png")

"""Every main page's first load, as the production deploy sends it, stays under 100 KB.

The deploy of docs/deploy.md on a throwaway SQLite database (``tools/production_check.py``:
``DJANGO_ENV=production``, ``migrate``, ``seed_demo``, ``collectstatic``), served by gunicorn,
opened by Chromium with an empty cache, as a visitor and as a logged-in resident. What counts is
what came over the wire (Chromium's ``encodedDataLength``: compressed bodies with their headers),
for everything the site itself sends: the page, its styles and scripts, fonts, images (Leaflet's
markers) and the icon. The map's tiles come from the operator's tile server, not from the site,
and are not counted; here they point at a port that answers nothing. A page past the budget fails
with its largest resources named; every page is also checked with axe-core.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools import production_check

from .conftest import _visitor

BUDGET = 100_000  # bytes transferred by one first load
TOWN = production_check.TOWN
PROJECT = production_check.PROJECT
IDEAS = PROJECT + "ideen/"
RESIDENT = "buergerin@musterstadt.example"
# Printed by a shell in the deploy's environment: a session of the resident (the log-in form's
# answer would be the same; production's form token wants https, which the test does not speak)
# and the addresses that carry an id.
FACTS = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from koproduktion.accounts.models import User
from koproduktion.decisions.models import Decision
from koproduktion.ideas.models import Idea
user = User.objects.get(email="RESIDENT")
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "koproduktion.accounts.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
idea = Idea.objects.filter(project__slug="fahrradstrasse-hafenallee", latitude__isnull=False)
decision = Decision.objects.filter(municipality__slug="musterstadt")
print(json.dumps({
    "session": session.session_key,
    "idea": idea.order_by("pk").first().pk,
    "decision": decision.order_by("pk").first().pk,
}))
""".replace("RESIDENT", RESIDENT)


@dataclass
class Site:
    base_url: str
    session: str
    idea: int
    decision: int


@dataclass
class Load:
    """What one first load of a page fetched from the site, by request."""

    base_url: str
    urls: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    document_headers: dict[str, str] = field(default_factory=dict)

    def received(self, event: dict) -> None:
        """CDP's Network.responseReceived: note the site's own answers."""
        url = event["response"]["url"]
        if url.startswith(self.base_url):
            self.urls[event["requestId"]] = url.removeprefix(self.base_url)
            if event["type"] == "Document":
                headers = event["response"]["headers"]
                self.document_headers = {k.lower(): v for k, v in headers.items()}

    def finished(self, event: dict) -> None:
        """CDP's Network.loadingFinished: the bytes that came over the wire for one answer."""
        if event["requestId"] in self.urls:
            self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def largest(self, count: int = 5) -> str:
        ranked = sorted(self.sizes.items(), key=lambda item: item[1], reverse=True)[:count]
        return ", ".join(f"{self.urls[key]} {size:,} B" for key, size in ranked)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    folder: Path = tmp_path_factory.mktemp("production")
    database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    env = production_check.server_environment(
        database_url,
        {
            **production_check.production_environment(database_url=database_url, folder=folder),
            # Chromium refuses port 9 at once: the map asks for its tiles and gets nothing.
            "MAP_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png",
        },
    )
    production_check.prepare(env)
    facts = json.loads(
        production_check.manage("shell", "-c", FACTS, env=env).stdout.splitlines()[-1]
    )
    with production_check.AppServer(database_url=database_url, env=env) as server:
        yield Site(server.base_url, facts["session"], facts["idea"], facts["decision"])


def first_load(browser, site: Site, path: str, *, logged_in: bool = False) -> Load:
    """Open ``path`` in a fresh browser (nothing cached), wait until the network is quiet, check
    the page with axe-core and return what was transferred."""
    options = {"extra_http_headers": {"X-Forwarded-Proto": "https"}}  # as the proxy says
    for visitor in _visitor(browser, SimpleNamespace(url=site.base_url), **options):
        page = visitor.page
        if logged_in:
            page.context.add_cookies(
                [{"name": "sessionid", "value": site.session, "url": site.base_url}]
            )
        load = Load(site.base_url)
        network = page.context.new_cdp_session(page)
        network.send("Network.enable")
        network.on("Network.responseReceived", load.received)
        network.on("Network.loadingFinished", load.finished)
        page.goto(site.base_url + path, wait_until="networkidle")
        assert page.url == site.base_url + path, f"{path} led to {page.url}"
        visitor.check()
        network.detach()
    return load


def pages(site: Site) -> list[tuple[str, str, bool]]:
    """(name, address, logged in) of the main pages."""
    return [
        ("home", "/", False),
        ("town", TOWN, False),
        ("project", PROJECT, False),
        ("ideas with map", IDEAS, False),
        ("idea with map", f"{IDEAS}{site.idea}/", False),
        ("decisions", f"{TOWN}beschluesse/", False),
        ("decision", f"{TOWN}beschluesse/{site.decision}/", False),
        ("log-in", "/konto/anmelden/", False),
        ("ideas, logged in", IDEAS, True),
        ("profile, logged in", "/konto/", True),
    ]


MAP_PAGES = {"ideas with map", "idea with map", "ideas, logged in"}


def test_every_main_page_loads_under_the_budget_compressed(browser, site):
    weights = []
    for name, path, logged_in in pages(site):
        load = first_load(browser, site, path, logged_in=logged_in)
        weights.append(f"{name} ({path}): {load.total:,} B")
        assert load.document_headers.get("content-encoding") == "gzip", (
            f"{path}: the page was sent uncompressed ({load.document_headers})"
        )
        assert "accept-encoding" in load.document_headers.get("vary", "").lower()
        leaflet = [url for url in load.urls.values() if "/vendor/leaflet/" in url]
        if name in MAP_PAGES:
            assert leaflet, f"{path} shows a map without Leaflet"
        else:
            assert leaflet == [], f"{path} has no map but loads {leaflet}"
        assert load.total <= BUDGET, (
            f"{path} transferred {load.total:,} B, over the budget of {BUDGET:,} B; "
            f"largest: {load.largest()}"
        )
    # Shown with -s, for bench/RESULTS.md.
    sys.stderr.write("\n".join(["", "first loads:", *weights, ""]))


def test_the_icon_is_there_and_favicon_ico_leads_to_it(site):
    home = production_check.fetch(site.base_url, "/").body.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', home)
    assert icon, "the page names no icon"
    assert production_check.fetch(site.base_url, icon[1]).status == 200
    answer = production_check.fetch(site.base_url, "/favicon.ico")
    assert answer.status == 302
    assert answer.headers["location"] == icon[1]

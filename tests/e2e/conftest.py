"""Browser tests: Debian's Chromium driven by Playwright, every visited page checked with axe-core.

Each test gets a ``visitor``: a page whose every navigation is recorded. A page that was loaded but
not checked with axe fails the test at teardown, so no visited page escapes the check. The pages run
under the site's Content-Security-Policy, and anything it blocks fails the test: what the policy
refuses is a part of the page that does not work.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.testcases import _MediaFilesHandler
from playwright.sync_api import Browser, Page, sync_playwright

from koproduktion.demo.data import DEMO_PASSWORD

from ..database_snapshot import Snapshot

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# Chromium quietly tries to reach Google's services; this machine has no network for that.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Reports every violation of the Content-Security-Policy to the test, from the first script on.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportPolicyViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline code"} on ` +
    `${event.documentURI} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _the_site_serves_uploads(monkeypatch):
    """Uploaded files come from the site's own view (``core.media``), as in production.

    Django's live server would otherwise answer /media/ itself, inline and without the headers.
    """
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda _handler, _path: False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does).")
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run npm ci (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Visitor:
    """A browser tab on the live server that checks every page it lands on with axe-core."""

    def __init__(self, page: Page, base_url: str, policy_violations: list[str]) -> None:
        self.page = page
        self.base_url = base_url
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.policy_violations = policy_violations
        page.on("load", lambda: self.loaded.append(page.url))
        # The browser's own message, also for what happens before any script of the page runs.
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.policy_violations.append(message.text)

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def log_in(self, email: str, *, then: str = "") -> Page:
        """Log in through the form with the demo password; ``then`` is the page to land on."""
        page = self.goto("/konto/anmelden/" + (f"?next={then}" if then else ""))
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        if then:
            page.wait_for_url(f"**{then}")
        self.check()
        return page

    def goto_foreign(self, path: str) -> Page:
        """A page the site shows but does not write (the API's Swagger UI, Django's admin): only
        the policy is checked here, at once and again at the end of the test. Their accessibility
        is their own projects'; every page from the site's templates goes through ``check``."""
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        self._assert_no_policy_violation()
        self.checked.add(self.page.url)
        return self.page

    def _assert_no_policy_violation(self) -> None:
        assert not self.policy_violations, "Content-Security-Policy:\n" + "\n".join(
            self.policy_violations
        )

    def check(self, *, impacts: tuple[str, ...] | None = None) -> None:
        """Run axe-core on the current page and fail on any violation, of axe's or the policy's.

        ``impacts`` narrows axe's violations to those of these impacts: for Django's admin,
        which the site does not write, ``("critical",)``; every page of the site's own gets all.
        """
        page = self.page
        page.wait_for_load_state("load")
        self._assert_no_policy_violation()
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "where": [node["target"] for node in v["nodes"]][:5],
            }
            for v in result["violations"]
            if impacts is None or v["impact"] in impacts
        ]
        assert not violations, f"axe-core on {page.url}:\n{json.dumps(violations, indent=2)}"
        self.checked.add(page.url)

    def unchecked(self) -> list[str]:
        return [url for url in self.loaded if url not in self.checked]


def _visitor(browser: Browser, live_server, **context_options) -> Iterator[Visitor]:
    context = browser.new_context(locale="de-DE", **context_options)
    context.set_default_timeout(10_000)
    # axe-core comes with every page as an init script: a <script> added to the page would be
    # inline code, which the site's policy refuses.
    context.add_init_script(path=str(AXE_SOURCE))
    context.add_init_script(CSP_LISTENER)
    violations: list[str] = []

    # A Python function: Playwright cannot take a built-in method such as ``list.append``.
    def report(text: str) -> None:
        violations.append(text)

    context.expose_function("reportPolicyViolation", report)
    visitor = Visitor(context.new_page(), live_server.url, violations)
    yield visitor
    context.close()
    assert not visitor.unchecked(), f"pages visited without an axe check: {visitor.unchecked()}"
    visitor._assert_no_policy_violation()


@pytest.fixture
def visitor(browser, live_server) -> Iterator[Visitor]:
    yield from _visitor(browser, live_server)


@pytest.fixture
def visitor_without_js(browser, live_server) -> Iterator[Visitor]:
    """A visitor for whom none of the site's scripts load.

    Chromium's own "JavaScript off" switch would also stop axe-core, which runs in the page; refusing
    every script the site serves gives the same page as a browser with JavaScript off.
    """
    for visitor in _visitor(browser, live_server):
        visitor.page.route("**/*.js", lambda route: route.abort())
        yield visitor


@pytest.fixture(scope="session")
def _demo_snapshot() -> list[Snapshot]:
    """Holds the demo town's snapshot once the first test has seeded it."""
    return []


@pytest.fixture
def demo_town(transactional_db, _demo_snapshot: list[Snapshot]) -> None:
    """Musterstadt as ``seed_demo`` makes it: seeded by the first test that asks for it, put back
    from that snapshot for every later one of the same day (``tests/database_snapshot.py``)."""
    if _demo_snapshot and _demo_snapshot[0].of_today:
        _demo_snapshot[0].restore()
        return
    _demo_snapshot[:] = [Snapshot.of(lambda: call_command("seed_demo", stdout=StringIO()))]

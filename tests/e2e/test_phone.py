"""Every page reachable from the demo town's navigation fits a 375 px phone, in German and English.

A town's admin (who sees the most: their own pages, staff pages, and every page residents see)
follows the links of the site from the town's page, breadth first, and on each page finds: no
horizontal scrolling, no table without column headers, no axe-core violation. Links that leave
the site, download files, change state through a link or lead to Django's admin are not
followed. The crawl is bounded; what it reached is reported when it fails.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings

PHONE = {"width": 375, "height": 800}
START = "/musterstadt/"
ADMIN = "admin@musterstadt.example"
# Enough to reach every kind of page of the demo town from its navigation; the crawl takes
# the nearest first, so kinds of pages come before many pages of one kind.
MOST = 160
# Pages of one kind differ only in their content: a few of each are enough.
PER_KIND = 3
NOT_FOLLOWED = (
    "/admin/",
    "/api/",
    "/konto/abmelden/",
    "/sprache/",
    "/media/",
    "/static/",
)
# Files, and the Atom feeds (for feed readers, not pages).
DOWNLOADS = (".ics", ".csv", ".zip", ".json", ".pdf", ".png", ".jpg", ".svg", ".xml", "/feed/")

LINKS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"""
# The innermost elements that reach past the screen's right edge, to say what is too wide.
TOO_WIDE = """width => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > width + 1
        && !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 3)
    .map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`
        + ` ${(e.textContent || '').trim().slice(0, 60)}`)"""
HEADLESS_TABLES = """() => Array.from(document.querySelectorAll('table'))
    .filter(t => !t.querySelector('th'))
    .map(t => (t.caption ? t.caption.textContent : t.outerHTML).trim().slice(0, 80))"""


def _kind(path: str) -> str:
    """The page's kind: its path with numbers and the last slug of a detail page set aside."""
    parts = [part for part in path.split("/") if part]
    return "/".join("#" if part.isdigit() else part for part in parts[:4])


def _followed(href: str, base: str) -> str | None:
    href = urldefrag(href)[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(NOT_FOLLOWED) or path.endswith(DOWNLOADS):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_reachable_from_the_navigation_fits_a_phone(demo_town, visitor, language):
    page = visitor.page
    page.set_viewport_size(PHONE)
    visitor.log_in(ADMIN, then=START)
    if language != "de":
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": visitor.base_url}]
        )
    queue, seen, kinds = deque([START]), {START}, {}
    problems, visited = [], []
    while queue and len(visited) < MOST:
        path = queue.popleft()
        response = page.goto(visitor.base_url + path)
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        visited.append(path)
        visitor.check()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = "; ".join(page.evaluate(TOO_WIDE, PHONE["width"]))
            problems.append(f"{path}: {width} px wide: {culprits}")
        problems += [f"{path}: table without headers: {t}" for t in page.evaluate(HEADLESS_TABLES)]
        for href in page.evaluate(LINKS):
            target = _followed(href, visitor.base_url)
            if target is None or target in seen:
                continue
            seen.add(target)
            kind = _kind(target.split("?")[0])
            if kinds.get(kind, 0) >= PER_KIND:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            queue.append(target)
    assert not problems, "\n".join(problems)
    assert page.evaluate("document.documentElement.lang") == language
    # The crawl reached the town's parts, not just a corner of it.
    reached = " ".join(visited)
    for part in (
        "/musterstadt/vorhaben/",
        "/musterstadt/veranstaltungen/",
        "/musterstadt/initiativen/",
        "/musterstadt/akteure/",
        "/musterstadt/verwaltung/",
        "/musterstadt/posteingang/",
        "/musterstadt/barrierefreiheit/",
    ):
        assert part in reached, f"{part} not reached from {START}: {visited}"

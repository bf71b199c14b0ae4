"""Bad input never breaks a page: every page and form of the demo town, fed nonsense, answers
below 500, says why in German and keeps what was typed.

The pages are found through the URL configuration, so a new page is covered the day it is added;
each is visited as visitor, resident and administrator of the demo town (``bad_input_demo``) with
odd query strings, unknown things in the path and its forms sent wrong. Nothing here is random.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from .bad_input_demo import (
    EVALUATION_PROJECT,
    IDEAS_PROJECT,
    INITIATIVE,
    ORGANISATION,
    PEOPLE,
    POLL_PROJECT,
    TASKS_PROJECT,
    TOWN,
    Demo,
    log_in,
)
from .bad_input_support import (
    FORM_VARIANTS,
    HUGE,
    LONG,
    forms_of,
    named_patterns,
    page_problems,
)

pytestmark = pytest.mark.django_db


# --- The pages, pattern by pattern --------------------------------------------------------------

POLL_PAGES = {"polls", "poll", "results", "results_csv"}
# ``pk`` means a different thing under each name.
PK_OF = {
    "sponsorships:detail": "object",
    "sponsorships:edit": "object",
    "sponsorships:retire": "object",
    "sponsorships:decide": "sponsorship",
    "sponsorships:hand_back": "sponsorship",
    "sponsorships:withdraw": "sponsorship",
    "commitments:cancel": "commitment",
    "commitments:done": "commitment",
    "moderation:report": "idea",
    "moderation:moderate": "idea",
}
# Parts of a URL that are signed or secret, so the demo town has no real value for them.
NO_REAL_VALUE = {"token": "gibt-es-nicht", "uidb64": "MQ"}
PAGE_NONSENSE = {
    "int": ("0", HUGE),
    "slug": ("gibt-es-nicht", "x" * 300),
    "str": ("gibt-es-nicht", "x" * 300),
}
# Every page gets each of these. The parameters are the ones pages read: ``seite`` (the page
# number), ``antwort`` (a reply), ``vorhaben`` (a project), ``next`` (the way back), filters.
ODD_QUERIES = (
    "seite=abc&page=abc",
    "seite=-1&page=-1",
    "seite=0&antwort=0",
    f"seite=999999&antwort={HUGE}",
    f"seite={HUGE}&page={HUGE}",
    "seite=1&seite=abc",
    "vorhaben=gibt-es-nicht&next=//example.org/&topic=gibt-es-nicht",
    "next=gibt-es-nicht&antwort=-1",
    "seite=%00&topic=%00&vorhaben=%00&next=%00",
    f"topic={LONG}&vorhaben={LONG}&antwort={LONG}",
    "seite=%ZZ&topic=%E4&vorhaben=%FF",
)


@dataclass(frozen=True)
class Page:
    name: str  # with its namespace, e.g. "ideas:detail"
    converters: dict[str, str]  # keyword → converter

    def url(self, demo: Demo, **nonsense: str) -> str:
        namespace, _colon, short = self.name.rpartition(":")
        project = IDEAS_PROJECT
        if namespace == "implementation":
            project = TASKS_PROJECT
        if namespace == "project_decisions" and short in POLL_PAGES:
            project = POLL_PROJECT
        if namespace.startswith("evaluation"):
            project = EVALUATION_PROJECT
        real = {
            "municipality_slug": TOWN,
            "project_slug": project,
            "neighbourhood_slug": "altstadt",
            "initiative_slug": INITIATIVE,
            "organisation_slug": ORGANISATION,
            "archive_slug": TOWN,
            "dataset": "projects",
            "code": "de",
            "kind": "idee",
            "action": "ausblenden",
            "method": "zukunftswerkstatt",
            "user_id": demo.resident.pk,
            "pk": demo.ids.get(PK_OF.get(self.name, ""), 0),
            **NO_REAL_VALUE,
            **{f"{what}_id": pk for what, pk in demo.ids.items()},
        }
        return reverse(
            self.name, kwargs={key: nonsense.get(key, real[key]) for key in self.converters}
        )


# Django's own admin is Django's; the API is walked above.
PAGES = [
    Page(name, converters)
    for name, converters in named_patterns(get_resolver().url_patterns, skip={"admin", "api-v1"})
]


def _page_params(build) -> list:
    """One case per page and per what ``build(page)`` yields: (id parts, arguments)."""
    return [
        pytest.param(page, *arguments, id="-".join([page.name, *labels]))
        for page in PAGES
        for labels, arguments in build(page)
    ]


EVERY_PAGE = _page_params(lambda page: [((), ())])
EVERY_PAGE_FOR_PEOPLE = _page_params(lambda page: [((who,), (who,)) for who in PEOPLE])


@pytest.fixture(scope="module")
def real_status() -> dict[tuple[str, str], int]:
    """What each page answers each person with real values: the same for every test."""
    return {}


def _real_status(demo: Demo, real_status: dict, page: Page, who: str) -> int:
    if (page.name, who) not in real_status:
        client = Client(raise_request_exception=False)
        log_in(client, demo, who)
        real_status[page.name, who] = client.get(page.url(demo)).status_code
    return real_status[page.name, who]


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_pages_take_odd_query_strings(demo, web, real_status, page):
    """Each page as the first of visitor, resident and admin who may see it (or is sent on)."""
    people = ("anonymous", *PEOPLE)
    status = {who: _real_status(demo, real_status, page, who) for who in people}
    who = min(people, key=lambda who: (status[who] != 200, status[who] >= 400))
    log_in(web, demo, who)
    problems = []
    # A page nobody may see with real values refuses before it reads the query; one will do.
    for query in ODD_QUERIES if status[who] < 400 else ODD_QUERIES[:1]:
        response = web.get(page.url(demo) + "?" + query)
        problems += [f"?{query[:60]} as {who}: {p}" for p in page_problems(response)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_page_filters_take_what_no_option_offers(demo, web, page):
    """Every field of a page's GET forms, filled with nonsense one at a time."""
    problems = []
    for form in forms_of(web.get(page.url(demo)), "get"):
        action = urlsplit(form.action).path or page.url(demo)
        for name, _kind, _value in form.fields:
            for value in ("gibt-es-nicht", LONG, "\x00", HUGE, "-1"):
                response = web.get(action, {name: value})
                where = f"{action}?{name}={value[:20]!r}"
                problems += [f"{where}: {p}" for p in page_problems(response)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("page", "who"),
    _page_params(
        lambda page: [((who,), (who,)) for who in ("anonymous", "resident") if page.converters]
    ),
)
def test_unknown_things_in_the_path_are_not_found(demo, web, real_status, page, who):
    log_in(web, demo, who)
    # A page one can see with real values is simply not there with made-up ones; a page one
    # may not see, or only send to, refuses or sends to the log-in first.
    seen = _real_status(demo, real_status, page, who) == 200
    expected = (404,) if seen else (302, 403, 404, 405)
    problems = []
    for keyword, converter in page.converters.items():
        for value in PAGE_NONSENSE[converter if converter in PAGE_NONSENSE else "str"]:
            response = web.get(page.url(demo, **{keyword: value}))
            where = f"{keyword}={value[:20]}"
            problems += [f"{where}: {p}" for p in page_problems(response)]
            # A link that is not valid (any more) gets a page of its own that says so.
            if keyword not in NO_REAL_VALUE and response.status_code not in expected:
                problems.append(f"{where}: {response.status_code}, not {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("page", "who"), EVERY_PAGE_FOR_PEOPLE)
def test_an_empty_post_anywhere_is_no_error(demo, web, page, who):
    log_in(web, demo, who)
    assert page_problems(web.post(page.url(demo), {})) == []


@pytest.mark.parametrize(("page", "who"), EVERY_PAGE_FOR_PEOPLE)
def test_forms_sent_wrong_say_why_and_keep_the_input(demo, web, page, who):
    """Each POST form on the page, sent in every variant of ``PageForm.filled``, once per
    submit button; each submission meets the same town."""
    log_in(web, demo, who)
    shown = web.get(page.url(demo))
    if shown.status_code != 200 or not shown["Content-Type"].startswith("text/html"):
        return
    problems = []
    tried: set[Any] = {"accounts:logout"}  # on every page, and it takes no input
    for form in forms_of(shown, "post"):
        action = urlsplit(form.action).path or page.url(demo)
        view = resolve(action).view_name
        # The same form under each comment (report, hide …) is tried once.
        if view in tried or (view, str(form.fields[1:])) in tried:
            continue
        tried.add((view, str(form.fields[1:])))
        for button in form.buttons or [None]:
            for variant in FORM_VARIANTS:
                data = form.filled(variant) | dict([button] if button else [])
                response = _post_and_undo(web, action, data)
                where = f"{action} {'='.join(button) if button else ''} {variant}"
                problems += [f"{where}: {p}" for p in page_problems(response)]
                if variant == "long" and response.status_code in (200, 400):
                    lost = form.lost_input(response, data)
                    problems += [f"{where}: what was typed into {lost} is gone"] if lost else []
    assert not problems, "\n".join(problems)


def _post_and_undo(client: Client, url: str, data: dict[str, str]) -> Any:
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    cache.clear()  # rate-limit counters and cached pages
    return response


@pytest.mark.parametrize("name", ["follow_project", "ideas:follow"])
def test_following_with_a_made_up_way_back_stays_on_the_site(demo, web, name):
    log_in(web, demo, "resident")
    page = next(page for page in PAGES if page.name == name)
    response = web.post(page.url(demo), {"next": "gibt-es-nicht"})
    assert response.status_code == 302


def test_the_email_settings_say_why_a_choice_is_refused(demo, web):
    log_in(web, demo, "resident")
    response = web.post(reverse("notifications:settings"), {"email_frequency": "nie-mehr"})
    assert response.status_code == 200
    assert page_problems(response) == []


def test_every_page_keyword_has_a_real_value(demo):
    """A page with a keyword this module cannot fill would otherwise go untested."""
    for page in PAGES:
        assert page.url(demo)

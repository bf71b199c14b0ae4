"""Bad input never breaks anything: every API operation and every page of the demo town, fed
nonsense, answers below 500 and says why, in German.

The API is walked through its own OpenAPI document, so a new operation is covered the day it is
added; the pages through the URL configuration, so is a new page. Each case fills a URL with the
demo town's real values except for the one piece of nonsense it is about. Nothing here is
random: the same cases run in the same order every time.

The demo town is seeded once for the module (about a second) inside a transaction that is rolled
back at the end; every test runs in a savepoint inside it, so what one case writes is gone before
the next. The machinery (schemas, forms, checks) is in ``bad_input_support``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from io import StringIO
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, resolve, reverse

from koproduktion.accounts.models import User
from koproduktion.accounts.services import api_token_create
from koproduktion.api.api import api
from koproduktion.decisions.models import Decision, Poll
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.implementation.models import Commitment, Milestone, Task
from koproduktion.opinions.models import Statement
from koproduktion.sponsorships.models import Sponsorship, SponsorshipObject

from .bad_input_support import (
    FORM_VARIANTS,
    HUGE,
    LONG,
    OpenApi,
    crash,
    forms_of,
    named_patterns,
    page_problems,
    path_parameters,
    refusal_problems,
)

pytestmark = pytest.mark.django_db

TOWN = "musterstadt"
# Where the demo town keeps what each feature needs.
IDEAS_PROJECT = "fahrradstrasse-hafenallee"  # ideas, comments, the opinion map, a decision
POLL_PROJECT = "buergerhaushalt-2027"
TASKS_PROJECT = "quartierstreff-nordstadt"  # milestones, tasks in shifts, a commitment
PEOPLE = ("resident", "admin")  # besides the anonymous visitor


@dataclass
class Demo:
    """Real values from the seeded demo town."""

    ids: dict[str, int]  # by what they are the id of: "idea", "poll", "commitment" …
    resident: User
    admin: User
    token: str  # the resident's API key


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    # The demo people's passwords with the fast hash, as the suite's other tests use.
    fast_hash = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_hash:
            call_command("seed_demo", stdout=StringIO())
        resident = User.objects.get(email="buergerin@musterstadt.example")
        token, plain = api_token_create(user=resident, name="Prüfskript")
        hafenallee = {"project__slug": IDEAS_PROJECT, "municipality__slug": TOWN}
        idea = Idea.objects.filter(**hafenallee).order_by("pk").first()
        task = Task.objects.filter(
            project__slug=TASKS_PROJECT, is_published=True, shifts__isnull=False
        ).first()
        ids = {
            "idea": idea.pk,
            "comment": Comment.objects.filter(idea=idea).order_by("pk").first().pk,
            "statement": Statement.objects.filter(**hafenallee).order_by("pk").first().pk,
            "poll": Poll.objects.get(project__slug=POLL_PROJECT).pk,
            "decision": Decision.objects.filter(municipality__slug=TOWN).first().pk,
            "task": task.pk,
            "milestone": Milestone.objects.filter(project__slug=TASKS_PROJECT).first().pk,
            "commitment": Commitment.objects.get(user=resident).pk,
            "object": SponsorshipObject.objects.filter(municipality__slug=TOWN).first().pk,
            "sponsorship": Sponsorship.objects.filter(object__municipality__slug=TOWN).first().pk,
            "token": token.pk,
        }
        admin = User.objects.get(email="admin@musterstadt.example")
        yield Demo(ids=ids, resident=resident, admin=admin, token=plain)
        transaction.set_rollback(True)


@pytest.fixture
def browser() -> Client:
    """A client that gets the answer a person would get, instead of the exception."""
    return Client(raise_request_exception=False)


def _log_in(client: Client, demo: Demo, who: str) -> None:
    """``who``: "anonymous" stays as it is; "resident" or "admin" of the demo town log in."""
    if who != "anonymous":
        client.force_login(demo.resident if who == "resident" else demo.admin)


# --- The API, operation by operation ------------------------------------------------------------

SCHEMA = OpenApi(api.get_openapi_schema())
WRITES = {"post", "put", "patch", "delete"}
# Nonsense in the path, with the status it must get: unknown is 404, what cannot be an id 422.
SLUG_NONSENSE = {
    "unknown": ("gibt-es-nicht", 404),
    "over-long": ("x" * 300, 404),
    "umlaut": ("straße", 404),
    "nul": ("\x00", 400),  # no address holds one; refused before anything is looked up
}
ID_NONSENSE = {
    "zero": ("0", 404),
    "negative": ("-1", 404),
    "huge": (HUGE, 404),
    "letters": ("abc", 422),
}
QUERY_NONSENSE = {
    "integer": {"letters": "abc", "zero": "0", "far": "999999", "huge": HUGE},
    "string": {"unknown": "gibt-es-nicht", "over-long": LONG, "nul": "\x00", "empty": ""},
    "enum": {"unknown": "gibt-es-nicht", "empty": ""},
}


def _project_for(path: str) -> str:
    if "/polls" in path:
        return POLL_PROJECT
    if "/tasks" in path or "/milestones" in path:
        return TASKS_PROJECT
    return IDEAS_PROJECT


PATH_VALUES = {
    "slug": lambda path, demo: TOWN,
    "project_slug": lambda path, demo: _project_for(path),
    "idea_id": lambda path, demo: demo.ids["idea"],
    "statement_id": lambda path, demo: demo.ids["statement"],
    "poll_id": lambda path, demo: demo.ids["poll"],
    "task_id": lambda path, demo: demo.ids["task"],
    "commitment_id": lambda path, demo: demo.ids["commitment"],
}


@dataclass(frozen=True)
class ApiCase:
    operation: str  # the function's name, e.g. "list_ideas"
    method: str
    path: str
    who: str  # "anonymous", "session" or "token"
    path_values: dict[str, str] = field(default_factory=dict)  # the nonsense; the rest is real
    query: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    content_type: str = "application/json"
    expected: tuple[int, ...] = ()  # empty: any status below 500

    def url(self, demo: Demo) -> str:
        url = self.path
        for name in path_parameters(self.path):
            value = self.path_values.get(name, PATH_VALUES[name](self.path, demo))
            url = url.replace("{" + name + "}", quote(str(value), safe=""))
        return url + ("?" + urlencode(self.query) if self.query else "")


def _api_cases() -> Iterator[tuple[str, ApiCase]]:
    """(test id, case) for every operation, person and piece of nonsense."""
    for path, operations in SCHEMA.document["paths"].items():
        for method, operation in operations.items():
            op = operation["operationId"].rsplit("_api_", 1)[1]
            parameters = operation.get("parameters", [])
            content = operation.get("requestBody", {}).get("content", {})
            schema = content["application/json"]["schema"] if content else None
            # Where a body belongs, the cases about the path and the query send a good one.
            body = json.dumps(SCHEMA.sample(schema)).encode() if schema else None
            case = partial(ApiCase, op, method, path, body=body)
            if method in WRITES:
                yield f"{op}-anonymous", case("anonymous", expected=(401,))
            for who in ("session", "token") if method in WRITES else ("anonymous", "session"):
                yield f"{op}-{who}-real", case(who)
                for param in (p for p in parameters if p["in"] == "path"):
                    name = param["name"]
                    integer = SCHEMA.kind(param["schema"]) == "integer"
                    for label, (value, status) in (
                        ID_NONSENSE if integer else SLUG_NONSENSE
                    ).items():
                        yield (
                            f"{op}-{who}-{name}-{label}",
                            case(who, path_values={name: value}, expected=(status,)),
                        )
                for param in (p for p in parameters if p["in"] == "query"):
                    name = param["name"]
                    for label, value in QUERY_NONSENSE[SCHEMA.kind(param["schema"])].items():
                        nul = (400,) if "\x00" in value else ()
                        yield (
                            f"{op}-{who}-{name}-{label}",
                            case(who, query={name: value}, expected=nul),
                        )
                if method in WRITES:
                    for label, (bad, content_type) in SCHEMA.bad_bodies(schema).items():
                        yield (
                            f"{op}-{who}-body-{label}",
                            case(who, body=bad, content_type=content_type),
                        )


def _api_params() -> list:
    return [pytest.param(case, id=case_id) for case_id, case in _api_cases()]


@pytest.mark.parametrize("case", _api_params())
def test_the_api_refuses_nonsense_with_a_reason(demo, browser, case):
    _log_in(browser, demo, "resident" if case.who == "session" else "anonymous")
    extra = {"HTTP_AUTHORIZATION": f"Bearer {demo.token}"} if case.who == "token" else {}
    if case.body is not None:
        extra.update(data=case.body, content_type=case.content_type)
    response = browser.generic(case.method.upper(), case.url(demo), **extra)

    assert response.status_code < 500, crash(response)
    if case.expected:
        assert response.status_code in case.expected, response.content[:300]
    if response.status_code >= 400:
        assert refusal_problems(response) == []


def test_every_path_parameter_of_the_api_has_a_real_value():
    """A new operation with a parameter this module cannot fill would otherwise go untested."""
    names = {name for path in SCHEMA.document["paths"] for name in path_parameters(path)}
    assert names <= set(PATH_VALUES)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/gibt-es-nicht"),
        ("get", f"/api/v1/municipalities/{TOWN}/gibt-es-nicht"),
        ("put", f"/api/v1/municipalities/{TOWN}"),
        ("delete", f"/api/v1/municipalities/{TOWN}/projects/{IDEAS_PROJECT}/ideas"),
    ],
    ids=["unknown-path", "unknown-sub-path", "put", "delete-on-a-list"],
)
def test_unknown_paths_and_methods_of_the_api_get_a_json_reason(demo, client, method, path):
    response = client.generic(method.upper(), path)
    assert response.status_code in (404, 405)
    assert refusal_problems(response) == []


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
        real = {
            "municipality_slug": TOWN,
            "project_slug": project,
            "neighbourhood_slug": "altstadt",
            "code": "de",
            "kind": "idee",
            "action": "ausblenden",
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
        _log_in(client, demo, who)
        real_status[page.name, who] = client.get(page.url(demo)).status_code
    return real_status[page.name, who]


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_pages_take_odd_query_strings(demo, browser, real_status, page):
    """Each page as the first of visitor, resident and admin who may see it (or is sent on)."""
    people = ("anonymous", *PEOPLE)
    status = {who: _real_status(demo, real_status, page, who) for who in people}
    who = min(people, key=lambda who: (status[who] != 200, status[who] >= 400))
    _log_in(browser, demo, who)
    problems = []
    # A page nobody may see with real values refuses before it reads the query; one will do.
    for query in ODD_QUERIES if status[who] < 400 else ODD_QUERIES[:1]:
        response = browser.get(page.url(demo) + "?" + query)
        problems += [f"?{query[:60]} as {who}: {p}" for p in page_problems(response)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_page_filters_take_what_no_option_offers(demo, browser, page):
    """Every field of a page's GET forms, filled with nonsense one at a time."""
    problems = []
    for form in forms_of(browser.get(page.url(demo)), "get"):
        action = urlsplit(form.action).path or page.url(demo)
        for name, _kind, _value in form.fields:
            for value in ("gibt-es-nicht", LONG, "\x00", HUGE, "-1"):
                response = browser.get(action, {name: value})
                where = f"{action}?{name}={value[:20]!r}"
                problems += [f"{where}: {p}" for p in page_problems(response)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("page", "who"),
    _page_params(
        lambda page: [((who,), (who,)) for who in ("anonymous", "resident") if page.converters]
    ),
)
def test_unknown_things_in_the_path_are_not_found(demo, browser, real_status, page, who):
    _log_in(browser, demo, who)
    # A page one can see with real values is simply not there with made-up ones; a page one
    # may not see, or only send to, refuses or sends to the log-in first.
    seen = _real_status(demo, real_status, page, who) == 200
    expected = (404,) if seen else (302, 403, 404, 405)
    problems = []
    for keyword, converter in page.converters.items():
        for value in PAGE_NONSENSE[converter if converter in PAGE_NONSENSE else "str"]:
            response = browser.get(page.url(demo, **{keyword: value}))
            where = f"{keyword}={value[:20]}"
            problems += [f"{where}: {p}" for p in page_problems(response)]
            # A link that is not valid (any more) gets a page of its own that says so.
            if keyword not in NO_REAL_VALUE and response.status_code not in expected:
                problems.append(f"{where}: {response.status_code}, not {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("page", "who"), EVERY_PAGE_FOR_PEOPLE)
def test_an_empty_post_anywhere_is_no_error(demo, browser, page, who):
    _log_in(browser, demo, who)
    assert page_problems(browser.post(page.url(demo), {})) == []


@pytest.mark.parametrize(("page", "who"), EVERY_PAGE_FOR_PEOPLE)
def test_forms_sent_wrong_say_why_and_keep_the_input(demo, browser, page, who):
    """Each POST form on the page, sent in every variant of ``PageForm.filled``, once per
    submit button; each submission meets the same town."""
    _log_in(browser, demo, who)
    shown = browser.get(page.url(demo))
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
                response = _post_and_undo(browser, action, data)
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
def test_following_with_a_made_up_way_back_stays_on_the_site(demo, browser, name):
    _log_in(browser, demo, "resident")
    page = next(page for page in PAGES if page.name == name)
    response = browser.post(page.url(demo), {"next": "gibt-es-nicht"})
    assert response.status_code == 302


def test_the_email_settings_say_why_a_choice_is_refused(demo, browser):
    _log_in(browser, demo, "resident")
    response = browser.post(reverse("notifications:settings"), {"email_frequency": "nie-mehr"})
    assert response.status_code == 200
    assert page_problems(response) == []


def test_every_page_keyword_has_a_real_value(demo):
    """A page with a keyword this module cannot fill would otherwise go untested."""
    for page in PAGES:
        assert page.url(demo)

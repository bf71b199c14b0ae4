"""Bad input never breaks the API: every operation, fed nonsense, answers below 500 and says why,
with a status its OpenAPI document names.

The operations are walked through the API's own OpenAPI document, so a new operation is covered
the day it is added. Each case fills a URL with the demo town's real values (``bad_input_demo``)
except for the one piece of nonsense it is about, in the path, the query or the body, anonymously,
with a session and with an API key. Nothing here is random.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote, urlencode

import pytest

from koproduktion.api.api import api

from .bad_input_demo import (
    EVALUATION_PROJECT,
    IDEAS_PROJECT,
    INITIATIVE,
    ORGANISATION,
    POLL_PROJECT,
    TASKS_PROJECT,
    TOWN,
    Demo,
    log_in,
)
from .bad_input_support import HUGE, LONG, OpenApi, crash, path_parameters, refusal_problems

pytestmark = pytest.mark.django_db


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
    "boolean": {"letters": "abc", "number": "2", "nul": "\x00", "over-long": LONG},
    "enum": {"unknown": "gibt-es-nicht", "empty": ""},
}


def _project_for(path: str) -> str:
    if "/polls" in path:
        return POLL_PROJECT
    if "/tasks" in path or "/milestones" in path:
        return TASKS_PROJECT
    if "/evaluation" in path:
        return EVALUATION_PROJECT
    return IDEAS_PROJECT


PATH_VALUES = {
    "slug": lambda path, demo: TOWN,
    "project_slug": lambda path, demo: _project_for(path),
    "idea_id": lambda path, demo: demo.ids["idea"],
    "statement_id": lambda path, demo: demo.ids["statement"],
    "poll_id": lambda path, demo: demo.ids["poll"],
    "task_id": lambda path, demo: demo.ids["task"],
    "commitment_id": lambda path, demo: demo.ids["commitment"],
    "event_id": lambda path, demo: demo.ids["event"],
    "initiative_slug": lambda path, demo: INITIATIVE,
    "organisation_slug": lambda path, demo: ORGANISATION,
    "example_id": lambda path, demo: demo.ids["example"],
    "dataset": lambda path, demo: "projects",
    "support_offer_id": lambda path, demo: demo.ids["support_offer"],
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
def test_the_api_refuses_nonsense_with_a_reason(demo, web, case):
    log_in(web, demo, "resident" if case.who == "session" else "anonymous")
    extra = {"HTTP_AUTHORIZATION": f"Bearer {demo.token}"} if case.who == "token" else {}
    if case.body is not None:
        extra.update(data=case.body, content_type=case.content_type)
    response = web.generic(case.method.upper(), case.url(demo), **extra)

    assert response.status_code < 500, crash(response)
    if case.expected:
        assert response.status_code in case.expected, response.content[:300]
    documented = SCHEMA.document["paths"][case.path][case.method]["responses"]
    assert str(response.status_code) in map(str, documented), (
        f"{response.status_code} is not in the OpenAPI document: {response.content[:300]!r}"
    )
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

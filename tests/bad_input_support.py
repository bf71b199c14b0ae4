"""The machinery of the bad-input tests (``test_bad_input_api``, ``test_bad_input_pages``):
reading the OpenAPI document and the URL configuration, the forms of a page, and what a person or
a script would notice in an answer."""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver
from django.utils.html import escape

HUGE = "99999999999999999999"  # more than any database integer holds
LONG = "x" * 5000
# Within every minimum and maximum length, so that the NUL character is what is wrong with it.
NUL_TEXT = "Ein Nullzeichen \x00 mitten im Text"
# Django's and django-ninja's stock texts: English on a German site, and no reason a person can
# act on. A refusal the project wrote itself never reads like this.
STOCK_TEXTS = (
    "Cannot parse request body",
    "Not Found",
    "Unauthorized",
    "Forbidden",
    "Method not allowed",
    "Bad Request",
)


# --- What an answer shows -----------------------------------------------------------------------


def crash(response: Any) -> str:
    """The status and, for a crash, the exception and the project's line that raised it."""
    if response.status_code < 500 or not getattr(response, "exc_info", None):
        return str(response.status_code)
    _type, error, trace = response.exc_info
    ours = [f for f in traceback.extract_tb(trace) if "/koproduktion/" in f.filename]
    where = f" at {ours[-1].filename.split('/koproduktion/')[-1]}:{ours[-1].lineno}" if ours else ""
    return f"{response.status_code} {type(error).__name__}: {str(error)[:120]}{where}"


def refusal_problems(response: Any) -> list[str]:
    """What is wrong with a 4xx answer of the API: it must be JSON with a reason in German."""
    if not response["Content-Type"].startswith("application/json"):
        return [f"{response.status_code} is {response['Content-Type']}, not JSON"]
    body = response.json()
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, str) or not detail.strip():
        return [f"{response.status_code} without a detail: {response.content[:200]!r}"]
    if detail.startswith(STOCK_TEXTS):
        return [f"{response.status_code} with a stock English detail: {detail!r}"]
    return []


def page_problems(response: Any) -> list[str]:
    """A refusal is a page of the site in German; a form shown again shows every error."""
    if response.status_code >= 500:
        return [crash(response)]
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    if response.status_code in (400, 403, 404) and '<html lang="de">' not in html:
        return [f"{response.status_code} is not a page of the site: {html[:80]!r}"]
    return [f"an error is not shown: {message!r}" for message in _unshown_errors(response, html)]


def bound_forms(response: Any) -> Iterator[Any]:
    """The forms (and the forms of formsets) the page was rendered with that hold input."""
    seen = set()
    # A page of one template has one Context, of several a list of them.
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    for context in filter(None, contexts):
        for layer in context.dicts:
            for value in layer.values():
                forms = getattr(value, "forms", None)
                for form in [value, *(forms if isinstance(forms, list) else [])]:
                    if getattr(form, "is_bound", False) and id(form) not in seen:
                        seen.add(id(form))
                        yield form


def _unshown_errors(response: Any, html: str) -> list[str]:
    missing = []
    for form in bound_forms(response):
        errors = form.errors.values() if isinstance(form.errors, dict) else []
        own = form.non_form_errors() if hasattr(form, "non_form_errors") else []
        for message in [m for messages in errors for m in messages] + list(own):
            if escape(message) not in html:
                missing.append(message)
    return missing


# --- The OpenAPI document -----------------------------------------------------------------------


class OpenApi:
    """Types, valid samples and wrong values from an OpenAPI document's JSON schemas."""

    def __init__(self, document: dict) -> None:
        self.document = document
        self.components = document["components"]["schemas"]

    def resolve(self, schema: dict) -> dict:
        """The schema, with a $ref, allOf or nullable anyOf taken to what it stands for."""
        if "$ref" in schema:
            return self.resolve(self.components[schema["$ref"].rsplit("/", 1)[1]])
        for key in ("allOf", "anyOf"):
            if key in schema:
                options = [self.resolve(s) for s in schema[key] if s.get("type") != "null"]
                return {**options[0], **{k: v for k, v in schema.items() if k != key}}
        return schema

    def kind(self, schema: dict) -> str:
        schema = self.resolve(schema)
        return "enum" if "enum" in schema else schema.get("type", "string")

    def sample(self, schema: dict) -> Any:
        """A valid value; for an object, its required properties."""
        schema = self.resolve(schema)
        if "properties" in schema:
            properties = schema["properties"]
            return {name: self.sample(properties[name]) for name in schema.get("required", [])}
        if "enum" in schema:
            return schema["enum"][0]
        samples = {"integer": 1, "number": 1.0, "boolean": False, "object": {}, "array": []}
        return samples.get(schema.get("type", "string"), "Ein Beispiel")

    def wrong_values(self, schema: dict) -> dict[str, Any]:
        """Values a person or a faulty script might send for a property, by name."""
        schema = self.resolve(schema)
        kind = self.kind(schema)
        if kind == "enum":
            return {"unknown": "gibt-es-nicht", "number": 1, "list": ["a"]}
        if kind == "string":
            too_long = "x" * (schema.get("maxLength", 100_000) + 1)
            return {"number": 42, "object": {"a": 1}, "over-long": too_long, "nul": NUL_TEXT}
        if kind in ("integer", "number"):
            return {"letters": "abc", "zero": 0, "negative": -1, "huge": int(HUGE), "list": [1]}
        if kind == "boolean":
            return {"word": "vielleicht", "object": {}}
        if kind == "object":
            return {
                "string": "x",
                "list": [1],
                "letter-key": {"abc": 1},
                "letter-value": {"1": "abc"},
                "huge-key": {HUGE: 1},
                "huge-value": {"1": int(HUGE)},
                "negative": {"-1": -1},
                "many-keys": {str(n): 1 for n in range(1, 2001)},
            }
        return {"string": "x"}

    def bad_bodies(self, schema: dict | None) -> dict[str, tuple[bytes, str]]:
        """Malformed bodies by name, with their content type; for a schema, also a valid body
        with each property wrong in every way in turn."""
        json_type = "application/json"
        bodies = {
            "not-json": (b"{kein json", json_type),
            "form-encoded": (b"title=Hallo&text=Welt", "application/x-www-form-urlencoded"),
            "latin-1": ('{"text": "Stra\xdfe"}'.encode("latin-1"), json_type),
        }
        if schema is None:
            return bodies
        for name, text in {
            "empty": b"",
            "json-list": b"[]",
            "json-text": b'"Text"',
            "json-number": b"42",
            "json-null": b"null",
            "missing-fields": b"{}",
        }.items():
            bodies[name] = (text, json_type)
        valid = self.sample(schema)
        for name, prop in self.resolve(schema).get("properties", {}).items():
            for wrong, value in self.wrong_values(prop).items():
                bodies[f"{name}-{wrong}"] = (json.dumps({**valid, name: value}).encode(), json_type)
            if self.kind(prop) == "number":
                # Python's json module reads these, as some clients write them.
                for word in ("NaN", "Infinity"):
                    text = json.dumps({**valid, name: 0.5}).replace("0.5", word)
                    bodies[f"{name}-{word.lower()}"] = (text.encode(), json_type)
        return bodies


def path_parameters(path: str) -> list[str]:
    """The names in an OpenAPI path: ``/ideas/{idea_id}`` → ``["idea_id"]``."""
    return [part[1:-1] for part in path.replace(".", "/").split("/") if part.startswith("{")]


# --- The URL configuration ----------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def named_patterns(
    patterns: list, *, skip: set[str], route: str = "", namespace: str = ""
) -> Iterator[tuple[str, dict[str, str]]]:
    """(namespaced name, {keyword: converter}) of every named URL pattern outside ``skip``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace not in skip:
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from named_patterns(
                pattern.url_patterns, skip=skip, route=route + str(pattern.pattern), namespace=inner
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            found = _CONVERTER.findall(route + str(pattern.pattern))
            converters = {keyword: converter or "str" for converter, keyword in found}
            yield ":".join(filter(None, [namespace, pattern.name])), converters


# --- The forms of a page ------------------------------------------------------------------------

TEXT_TYPES = {"text", "textarea", "email", "url", "search", "tel"}
HONEYPOT = "website"  # HoneypotFormMixin's field, which a person leaves empty
FORM_VARIANTS = ("empty", "long", "huge", "negative", "nul", "hidden")


@dataclass
class PageForm:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, value
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def filled(self, variant: str) -> dict[str, str]:
        """The form as a person or a faulty script might send it; ``variant`` says how:
        empty, too long, numbers out of range, negative, with a NUL character, or with its
        hidden fields changed."""
        data: dict[str, str] = {}
        for name, kind, value in self.fields:
            if name == "csrfmiddlewaretoken" or kind == "file":
                continue
            if kind == "hidden":
                data[name] = "gibt-es-nicht" if variant == "hidden" else value
            elif name == HONEYPOT or variant == "empty":
                data[name] = ""
            elif variant == "long":
                data[name] = f"Eingabe {name} " + "x" * 20_000 if kind in TEXT_TYPES else "abc"
            else:
                data[name] = {"huge": HUGE, "negative": "-1", "nul": NUL_TEXT}.get(variant, value)
        return data

    def lost_input(self, response: Any, data: dict[str, str]) -> list[str]:
        """The text fields whose input is gone from the form shown again with its errors."""
        if not any(form.errors for form in bound_forms(response)):
            return []
        html = response.content.decode()
        return [
            name
            for name, kind, _value in self.fields
            if kind in TEXT_TYPES and name != HONEYPOT and escape(data[name]) not in html
        ]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._open = False
        self._select = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(PageForm(a.get("method", "get").lower(), a.get("action", "")))
            self._open = True
            return
        if not self._open:
            return
        form = self.forms[-1]
        kind = a.get("type", "submit" if tag == "button" else "text")
        if tag in ("input", "button") and kind == "submit":
            if a.get("name"):
                form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "input" and a.get("name"):
            form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag in ("textarea", "select") and a.get("name"):
            form.fields.append((a["name"], tag, ""))
            self._select = tag == "select"
        elif tag == "option" and self._select and a.get("value") and not form.fields[-1][2]:
            form.fields[-1] = (*form.fields[-1][:2], a["value"])  # the first real choice

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag != "form"
        self._select = self._select and tag != "select"


def forms_of(response: Any, method: str) -> list[PageForm]:
    """The page's forms with that method, with their fields, values and submit buttons."""
    if "html" not in response.get("Content-Type", ""):
        return []  # a download (a ZIP, a calendar) has no forms
    parser = _FormParser()
    parser.feed(response.content.decode())
    return [form for form in parser.forms if form.method == method]

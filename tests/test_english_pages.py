"""No German string of the interface on an English page.

Every page of the demo town (found through the URL configuration, as in test_bad_input_pages)
is rendered in English, as visitor, resident and administrator, and its words — text, and the
labels a screen reader reads (aria-label, title, alt, placeholder, button values) — are searched
for the German phrases of the interface: the msgids of the English catalogue whose translation
differs. What people wrote is German in the demo town and stays so; to tell it apart, a phrase
that also occurs in any text stored in the database is not searched for, nor is a phrase that
occurs in an English translation ("Dialog" in "Dialogue"). Elements marked ``lang="de"`` are
declared German and skipped. Strings Django brings (its own form messages) are in its catalogue,
not ours, and are not searched for.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from .bad_input_demo import Demo, log_in
from .test_bad_input_pages import PAGES

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[1] / "koproduktion/locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")
# Shorter single words are too often names, loan words or parts of English ones.
SHORTEST_WORD = 6
LABEL_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
SKIPPED_ELEMENTS = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) of the catalogue's singular entries, joined over continuation lines."""
    entries, key, current = [], None, {"msgid": "", "msgstr": ""}
    for line in [*CATALOGUE.read_text().splitlines(), ""]:
        if not line.strip():
            if current["msgid"]:
                entries.append((current["msgid"], current["msgstr"]))
            key, current = None, {"msgid": "", "msgstr": ""}
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            key = "msgid" if line.startswith("msgid ") else "msgstr"
            current[key] = _unquote(line.split(" ", 1)[1])
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
        elif line.startswith(("msgid_plural", "msgstr[")):
            key = None
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n")


@cache
def german_phrases() -> tuple[str, ...]:
    """Literal pieces of the interface's German strings that their English differs from."""
    english = " ".join(msgstr for _msgid, msgstr in _entries())
    phrases = set()
    for msgid, msgstr in _entries():
        if not msgstr or msgid == msgstr or "<" in msgid:
            continue
        for part in PLACEHOLDER.split(msgid):
            piece = " ".join(part.split()).strip(" .,:;–-()„“\"'")
            long_enough = " " in piece or len(piece) >= SHORTEST_WORD
            if long_enough and piece not in english:
                phrases.add(piece)
    return tuple(sorted(phrases))


def _own_models() -> list[type[models.Model]]:
    """The platform's models (not Django's permissions, whose names carry our verbose names)."""
    return [model for model in apps.get_models() if model.__module__.startswith("koproduktion.")]


def stored_texts() -> str:
    """Everything people and the demo wrote: every text column of every model."""
    texts = []
    for model in _own_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if names:
            for row in model.objects.values_list(*names):
                texts += [value for value in row if value]
    return "\n".join(" ".join(text.split()) for text in texts)


class ReadableWords(HTMLParser):
    """The words a reader sees or hears, outside scripts and parts marked as another language
    than the page's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.stack: list[bool] = []  # per open element: skipped?
        self.language = ""  # the page's, from <html lang>

    def _skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        language = a.get("lang", "").split("-")[0]
        if tag == "html":
            self.language = language
        skip = tag in SKIPPED_ELEMENTS or language not in ("", self.language)
        if not (skip or self._skipping()):
            self.words += [a[name] for name in LABEL_ATTRIBUTES if a.get(name)]
            if tag == "input" and a.get("type") in ("submit", "button"):
                self.words.append(a.get("value", ""))
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.words.append(data)


def readable(html: str) -> str:
    parser = ReadableWords()
    parser.feed(html)
    return " ".join(" ".join(parser.words).split())


def german_in(text: str, phrases: tuple[str, ...]) -> list[str]:
    return [
        phrase
        for phrase in phrases
        if re.search(rf"(?<![\wÄÖÜäöüß]){re.escape(phrase)}(?![\wÄÖÜäöüß])", text)
    ]


def test_the_phrase_list_is_the_catalogues():
    phrases = german_phrases()
    assert "Jetzt mitmachen" in phrases
    assert "Anmelden, um eine Idee einzureichen" in phrases
    assert "Dialog" not in phrases  # in "Dialogue"
    assert "Deutsch" not in phrases  # a language's own name is no interface string


# The language switch changes the language (to German, in the cases of test_bad_input_pages).
ENGLISH_PAGES = [page for page in PAGES if page.name != "language"]


@pytest.fixture(scope="module")
def interface_phrases(demo: Demo, django_db_blocker) -> tuple[str, ...]:
    """The German phrases to look for: those that no stored text of the demo town contains."""
    with django_db_blocker.unblock():
        stored = stored_texts()
    return tuple(phrase for phrase in german_phrases() if phrase not in stored)


@pytest.mark.parametrize("page", ENGLISH_PAGES, ids=[page.name for page in ENGLISH_PAGES])
def test_english_pages_have_no_german_interface_strings(demo: Demo, interface_phrases, page):
    problems = []
    for who in ("anonymous", "resident", "admin"):
        client = Client(raise_request_exception=False)
        client.cookies["language"] = "en"
        log_in(client, demo, who)
        response = client.get(page.url(demo), follow=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        where = f"{response.request['PATH_INFO']} as {who}"
        found = german_in(readable(response.content.decode()), interface_phrases)
        problems += [f"{where}: „{phrase}“" for phrase in found]
    assert not problems, "\n".join(problems)


def test_the_search_finds_the_interface_on_a_german_page(interface_phrases, web):
    """The same search on the German page finds the interface (the test above can fail)."""
    found = german_in(readable(web.get("/musterstadt/").content.decode()), interface_phrases)
    assert {"Gemeinschaftsregeln", "Vorhaben filtern", "Zum Inhalt springen"} <= set(found)

"""The search where there is no PostgreSQL (SQLite): stems and substrings, no index.

The query's words are stemmed with the Snowball German stemmer that finds similar ideas
(``ideas.similarity.stems``: stopwords left out, umlauts folded). A record matches when every word
is found in one of its fields, as its stem or as typed (``LIKE '%stem%'``, wildcards escaped);
ideas also through their stored stems (``IdeaTerm``), which are folded, so "Spielplätze" finds
"Spielplatz" there. What it cannot do (docs/search.md): a stem that changes a vowel ("Bänke" →
"bank") is found in other fields only where it is written so; SQLite's LIKE folds the case of
ASCII letters only; no operators or phrases (``-wort``, ``"…"``, ``or``): their words are
searched like any other. Ranking: the records whose title has every word first, then newest.
It reads every record of the town that the visibility lets through: fine for a town on SQLite,
not for a state on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from koproduktion.ideas.models import Idea, IdeaTerm
from koproduktion.ideas.similarity import WORD, stems

from .highlight import fold, highlight, marked
from .registry import SearchSource

# Words of a query searched at most: each is one more condition on every field.
MAX_WORDS = 8


@dataclass(frozen=True)
class Term:
    word: str  # as typed, lower case
    stem: str  # folded stem


@dataclass(frozen=True)
class Prepared:
    terms: tuple[Term, ...]

    @property
    def marks(self) -> tuple[str, ...]:
        """What a word highlighted starts with: the stems, and the words as typed (folded)."""
        return tuple({*(term.stem for term in self.terms), *(fold(t.word) for t in self.terms)})


def prepare(text: str) -> Prepared | None:
    """The query's words with their stems, stopwords left out; None if no word is left."""
    terms: list[Term] = []
    for word in dict.fromkeys(WORD.findall(text.lower())):
        terms += [Term(word, stem) for stem in stems(word)]
    return Prepared(tuple(terms[:MAX_WORDS])) if terms else None


def _found(fields: tuple[str, ...], term: Term) -> Q:
    return reduce(
        or_,
        (Q(**{f"{name}__icontains": value}) for name in fields for value in {term.stem, term.word}),
    )


def _fields(source: SearchSource) -> tuple[str, ...]:
    return (source.title, *source.body) if source.title else source.body


def matching(queryset: QuerySet, source: SearchSource, prepared: Prepared) -> QuerySet:
    conditions = []
    for term in prepared.terms:
        condition = _found(_fields(source), term)
        if source.model is Idea:
            stemmed = IdeaTerm.objects.filter(stem=term.stem).values("idea_id")
            condition |= Q(pk__in=stemmed)
        conditions.append(condition)
    return queryset.filter(reduce(and_, conditions))


def rank(source: SearchSource, prepared: Prepared) -> Any:
    if source.title is None:
        return Value(0, output_field=IntegerField())
    in_title = reduce(and_, (_found((source.title,), term) for term in prepared.terms))
    return Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())


def with_headlines(queryset: QuerySet, source: SearchSource, prepared: Prepared) -> QuerySet:
    return queryset


def display(record: Any, source: SearchSource, prepared: Prepared) -> tuple[SafeString, SafeString]:
    marks = prepared.marks
    title = (
        highlight(getattr(record, source.title), marks, whole=True) if source.title else marked("")
    )
    body = " ".join(str(getattr(record, name)) for name in source.body)
    return title, highlight(body, marks)

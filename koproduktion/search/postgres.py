"""Full-text search on PostgreSQL: German stemming, ranking, the GIN index, ``ts_headline``.

Every source's records are matched with ``vector(source) @@ websearch_to_tsquery('german', q)``.
``vector`` is, character for character in meaning, the expression of the source's GIN index
(migration ``search.0001`` writes it out), so PostgreSQL reads the index:

    setweight(to_tsvector('german', title), 'A')
      || setweight(to_tsvector('german', body_1 || ' ' || body_2 …), 'B')

``websearch_to_tsquery`` reads what people type into search boxes ("radweg -auto", "a or b",
quoted phrases) and never fails on syntax characters. A GIN index answers with every match at
once, so the index of a kind a town has hundreds of thousands of is split into parts by id
(``SPLIT_PARTS``, ``parts``), read one after another until enough are found. ``rank``: a match
in the title (how well, ``ts_rank``) ranks above a match in the body only; ``ts_headline`` marks
the words found, for the hits of the page shown only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, TextField, Value
from django.utils.safestring import SafeString

from .highlight import START, STOP, marked
from .registry import SearchSource

CONFIG = "german"
# ts_headline's options: our marks around the words found; a snippet of up to two fragments.
BODY_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxFragments=2, MaxWords=18, MinWords=8, '
    'FragmentDelimiter=" … "'
)
TITLE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'
# The parts of a split index (``SearchSource.split``): of every ``SPLIT_MODULUS`` records by
# id, the first part holds 1, the second 7, the third 56 (``mod(id, SPLIT_MODULUS)`` between
# the bounds). A word in 50,000 of a million comments is read from the first part's 800 or so,
# where the whole index would build a bitmap of all 50,000 before the first row; a rarer word
# reads on into the next parts, never more than some 1,600 matches in all until it is in over
# 12,800. Written out in the migration that makes the indexes (search.0004): a change is a new
# migration, and ``tests/test_postgres.py`` requires every part's index in its plan.
SPLIT_MODULUS = 64
SPLIT_PARTS = ((0, 0), (1, 7), (8, 63))


class _Weighted(Func):
    template = f"setweight(to_tsvector('{CONFIG}'::regconfig, %(expressions)s), '%(weight)s')"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()


class _Joined(Func):
    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = SearchVectorField()


class _Text(Func):
    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class _Query(Func):
    template = f"websearch_to_tsquery('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchQueryField()


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _InPart(Func):
    output_field = BooleanField()

    def __init__(self, low: int, high: int) -> None:
        # Numbers in the SQL, not parameters: the planner matches a partial index's condition
        # only with constants, also in a prepared statement's generic plan.
        template = f"mod(%(expressions)s, {SPLIT_MODULUS}) BETWEEN {int(low)} AND {int(high)}"
        super().__init__(F("pk"), template=template)


class _Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


class _Headline(Func):
    template = f"ts_headline('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = TextField()


def vector(source: SearchSource) -> Func:
    """The weighted tsvector of ``source``'s fields, as its index has it."""
    body = _Weighted(*(F(name) for name in source.body), weight="B")
    if source.title is None:
        return body
    return _Joined(_Weighted(F(source.title), weight="A"), body)


@dataclass(frozen=True)
class Prepared:
    text: str

    @property
    def query(self) -> Func:
        return _Query(Value(self.text))


def prepare(text: str) -> Prepared | None:
    return Prepared(text) if text.strip() else None


def matching(queryset: QuerySet, source: SearchSource, prepared: Prepared) -> QuerySet:
    return queryset.filter(_Matches(vector(source), prepared.query))


def parts(queryset: QuerySet, source: SearchSource) -> list[QuerySet]:
    """``queryset`` as the parts of ``source``'s index read it, in their order (the queryset
    itself where the index is whole)."""
    if not source.split:
        return [queryset]
    return [queryset.filter(_InPart(low, high)) for low, high in SPLIT_PARTS]


def rank(source: SearchSource, prepared: Prepared) -> Func | Value:
    """How well the title matches (``ts_rank`` of its vector, weight A); 0 for a match in the
    body only, and for sources without a title. Only the title's vector is computed for each
    candidate: the body's would be its whole text again (the index holds no vectors to read)."""
    if source.title is None:
        return Value(0.0, output_field=FloatField())
    return _Rank(_Weighted(F(source.title), weight="A"), prepared.query)


def with_headlines(queryset: QuerySet, source: SearchSource, prepared: Prepared) -> QuerySet:
    """``queryset`` (the page's hits) with ``search_title`` and ``search_snippet`` marked."""
    body = _Text(*(F(name) for name in source.body))
    queryset = queryset.annotate(
        search_snippet=_Headline(body, prepared.query, Value(BODY_OPTIONS))
    )
    if source.title is not None:
        queryset = queryset.annotate(
            search_title=_Headline(F(source.title), prepared.query, Value(TITLE_OPTIONS))
        )
    return queryset


def display(record: Any, source: SearchSource, prepared: Prepared) -> tuple[SafeString, SafeString]:
    title = marked(record.search_title) if source.title is not None else marked("")
    return title, marked(record.search_snippet)

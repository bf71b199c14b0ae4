"""What a search gives back: per kind, the ids ranked and the hits shown (``selectors.search``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .registry import SearchSource


@dataclass(frozen=True)
class Hit:
    source: SearchSource
    record: Any
    title: SafeString
    snippet: SafeString
    url: str
    context: str


@dataclass
class KindResult:
    source: SearchSource
    ranked: list[int]  # ids, best first (at most ``selectors.CANDIDATES``)
    more: bool  # more than ``selectors.CANDIDATES`` match
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ranked)

    @property
    def count_label(self) -> str:
        """The count as the tabs and headings show it: "mehr als 200" past ``selectors.CANDIDATES``."""
        if self.more:
            return _("mehr als %(count)s") % {"count": self.count}
        return str(self.count)


@dataclass
class SearchResults:
    query: str
    kinds: list[KindResult]
    source: SearchSource | None = None  # the kind chosen, or None for all
    page: Page | None = None  # the chosen kind's page of hits

    @property
    def total(self) -> int:
        return sum(kind.count for kind in self.kinds)

    @property
    def more(self) -> bool:
        return any(kind.more for kind in self.kinds)

"""Who has just written something that the search finds.

A person logged in who sees a kind as visitors do gets that kind's ranking from the one kept
for visitors (``selectors``), which may be up to ``RANKING_SECONDS`` old. Whoever has just
written something others search is ranked afresh for as long, so that they find it at once:
the services by which people write in kinds they may see as visitors do (ideas, comments,
decisions, an organisation's profile) call ``note_written``. The mark lives in the default
cache, which the app processes share through Redis; should the cache drop it early, the
person's search is at most that minute behind, as a visitor's is.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

# How long a process keeps a visitor's ranking, and so how long whoever wrote is ranked afresh.
RANKING_SECONDS = 60


def _key(user_id: int) -> str:
    return f"search:written:{user_id}"


def note_written(user: Any) -> None:
    """``user`` has written something searchable: rank their searches afresh for a while."""
    if getattr(user, "is_authenticated", False):
        cache.set(_key(user.pk), True, RANKING_SECONDS)


def written_lately(user: Any) -> bool:
    return cache.get(_key(user.pk)) is not None

"""The counts on the cards of the idea list, filled in per response.

The list of ideas is kept rendered (for visitors as a whole page, for logged-in people as the
part of the page they share, ``core.page_cache``) until the project's version changes: which
ideas, in which order, with which titles and badges. Supports and comments change only counts,
all day long; they are holes in the kept page (``<!--counts:ID--><!--/counts-->`` in
``ideas/_idea_list.html``), filled for every response with one query for the page's ideas: their
counters, and for a logged-in person whether they support each. So a comment costs the list no
new rendering, and the person who just supported an idea sees it at once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.translation import get_language, gettext, ngettext

from koproduktion.core.page_cache import fill_holes

from .models import Idea, Support

HOLE = "counts"


def fill_counts(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``fill`` for ``cached_for_visitors``: the counts (and own supports) on a list's cards."""
    return fill_holes(response, HOLE, lambda keys: card_counts(ids=keys, user=request.user))


def card_counts(*, ids: Iterable[str], user: object) -> dict[str, str]:
    """What the counts paragraph of each card shows, by the idea's id.

    One hand-written query on the ideas' primary keys (and the person's supports of them): it
    runs on every view of the list, where building it with the ORM cost more than running it.
    """
    pks = [int(pk) for pk in ids]
    if not pks:
        return {}
    idea, support = Idea._meta.db_table, Support._meta.db_table
    marks = ", ".join(["%s"] * len(pks))
    # A join rather than EXISTS: PostgreSQL plans it in a third of the time (this query is
    # planned on every view), and a person supports an idea once, so it adds no row.
    if getattr(user, "is_authenticated", False):
        sql = (
            f"SELECT i.id, i.support_count, i.comment_count, s.id IS NOT NULL FROM {idea} i "  # noqa: S608 - names from the models
            f"LEFT JOIN {support} s ON s.idea_id = i.id AND s.user_id = %s WHERE i.id IN ({marks})"
        )
        parameters = [user.pk, *pks]
    else:
        sql = f"SELECT i.id, i.support_count, i.comment_count, 0 FROM {idea} i WHERE i.id IN ({marks})"  # noqa: S608 - names from the models
        parameters = pks
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    language = get_language()
    return {
        str(pk): _counts(supports, comments, bool(mine), language)
        for pk, supports, comments, mine in rows
    }


@functools.lru_cache(maxsize=4096)
def _counts(supports: int, comments: int, mine: bool, language: str) -> str:
    """The paragraph's HTML in ``language`` (the active one: its argument keys the memo)."""
    parts = [
        ngettext("%(counter)s Unterstützung", "%(counter)s Unterstützungen", supports)
        % {"counter": localize(supports)},
        ngettext("%(counter)s Kommentar", "%(counter)s Kommentare", comments)
        % {"counter": localize(comments)},
    ]
    if mine:
        parts.append(gettext("Sie unterstützen diese Idee."))
    return " · ".join(f"<span>{escape(part)}</span>" for part in parts)

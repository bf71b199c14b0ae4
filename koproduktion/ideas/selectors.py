"""Reads of ideas. A list page costs the same few queries however many ideas there are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from koproduktion.core.db_router import read_connection
from koproduktion.core.kept import Kept, kept_copy
from koproduktion.notifications.models import Follow

from .models import Idea, IdeaStatus, Support

# How many ideas a process keeps for their pages, and for how long at most (as projects are
# kept: ``projects.selectors.published_project_get``).
IDEAS_KEPT = 1024
IDEA_SECONDS = 60

ORDERINGS = {
    "neu": ("-created_at", "-id"),
    "unterstuetzt": ("-support_count", "-id"),
}


@dataclass(frozen=True)
class IdeaFilters:
    status: IdeaStatus | None = None
    topic: Any = None
    neighbourhood: Any = None
    order: str = "neu"

    @property
    def key(self) -> str:
        """Which ideas the filters let through (not their order), for keys of caches."""
        return ":".join(
            str(getattr(value, "pk", value) or "")
            for value in (self.status, self.topic, self.neighbourhood)
        )


def idea_list(*, project: Any, filters: IdeaFilters | None = None) -> QuerySet[Idea]:
    """The ideas of ``project``, hidden and withdrawn ones included (their place shows why)."""
    filters = filters or IdeaFilters()
    ideas = Idea.objects.filter(project=project)
    if filters.status:
        ideas = ideas.filter(status=filters.status)
    if filters.topic:
        ideas = ideas.filter(topic=filters.topic)
    if filters.neighbourhood:
        ideas = ideas.filter(neighbourhood=filters.neighbourhood)
    return ideas.select_related("author", "topic", "neighbourhood").order_by(
        *ORDERINGS.get(filters.order, ORDERINGS["neu"])
    )


_kept: Kept[tuple[int, int, str], bytes] = Kept(IDEAS_KEPT, IDEA_SECONDS)


def idea_get(*, project: Any, pk: int, version: str | None = None) -> Idea:
    """One idea of ``project`` with what its page shows of its author, place and source.

    With ``version``, the version of the idea's page (``versions.idea_page_version``, which
    rises with every change of the idea, of its project and of its town): a process keeps the
    idea per version and each call gets a copy of its own, as pages read it many times a
    minute while it changes far less often.
    """

    def read() -> Idea:
        try:
            return (
                Idea.objects.select_related(
                    "author", "topic", "neighbourhood", "recorded_by", "source_event"
                )
                .filter(project=project)
                .get(pk=pk)
            )
        except Idea.DoesNotExist as missing:
            raise Http404 from missing

    if version is None:
        return read()
    return kept_copy(_kept, (project.pk, pk, version), read)


def supports_and_follows(*, user: Any, idea: Idea) -> tuple[bool, bool]:
    """Whether ``user`` supports ``idea``, and whether they follow it: the marks of their
    buttons on its page, in one hand-written query (it is asked on each view of the page)."""
    if not getattr(user, "is_authenticated", False):
        return False, False
    support, follow = Support._meta.db_table, Follow._meta.db_table
    with read_connection(Support).cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {support} WHERE idea_id = %s AND user_id = %s), "  # noqa: S608 - names from models
            f"EXISTS (SELECT 1 FROM {follow} WHERE idea_id = %s AND user_id = %s)",
            [idea.pk, user.pk, idea.pk, user.pk],
        )
        supported, following = cursor.fetchone()
    return bool(supported), bool(following)


def supported_idea_ids(*, user: Any, ideas: Iterable[Idea]) -> set[int]:
    """Which of ``ideas`` ``user`` supports, in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = [idea.pk for idea in ideas]
    return set(Support.objects.filter(user=user, idea_id__in=ids).values_list("idea_id", flat=True))

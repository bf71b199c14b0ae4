"""What the pages of ideas are cached by, and what each change of an idea raises.

Three versions key the cached pages and API answers of a project's ideas (``core.page_cache``
for visitors' pages and the shared parts of logged-in pages, ``api.cache`` for the API):

- ``Project.content_version`` (``Shown.PROJECT``): every page of the project — its page, the
  lists of ideas (which ideas, in which order, their titles, status and badges), the plan, the
  polls. Every key of an idea's own pages includes it as well.
- ``Idea.content_version`` (``Shown.IDEA``): the idea's page, the pages of its threads, its
  record and its comments in the API.
- ``Project.activity_version`` (``Shown.COUNTS``): the support and comment counts that are
  cached with lists of ideas: the API's list and GeoJSON, and the list ordered by supports,
  whose order they are. The list of ideas on the pages fills its counts in per request from the
  ideas' counters (``ideas.cards``) instead, so it stays cached while people write.

Supports and comments arrive all day and raise only their idea's version and the counts', so a
comment on one idea leaves the cached pages of every other idea, the project's page and the
lists of ideas as they are. The rarer changes (a new idea, an edit, a status, a withdrawal, the
quorum, moderation, decisions) raise the project's version, which renews every page of the
project at once.

The services declare what a change shows on, once, with ``content_changed(idea=…, shown=…)``
in their transaction (the idea's row first, then the project's, as everywhere);
``ideas/tests/test_versions.py`` lists every service of ideas and comments with what it raises.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db.models import F
from django.http import QueryDict

from koproduktion.projects.selectors import published_project_version
from koproduktion.projects.services import project_content_changed

from .models import Idea


class Shown(enum.Flag):
    """Where a change of an idea shows (see the module)."""

    IDEA = enum.auto()
    COUNTS = enum.auto()
    PROJECT = enum.auto()


def content_changed(*, idea: Idea, shown: Shown) -> None:
    """Raise the versions of what a change of ``idea`` shows on (call it in the transaction)."""
    if Shown.IDEA in shown:
        Idea.objects.filter(pk=idea.pk).update(content_version=F("content_version") + 1)
    if Shown.PROJECT in shown or Shown.COUNTS in shown:
        project_content_changed(
            project_id=idea.project_id,
            content=Shown.PROJECT in shown,
            counts=Shown.COUNTS in shown,
        )


# -- the versions, read once per request with one hand-written query ------------------------


def idea_page_version(
    *, municipality_slug: str, project_slug: str, idea_id: int, **_: Any
) -> str | None:
    """The version of an idea's page and its threads: the project's and the idea's own."""
    return published_project_version(
        municipality_slug, project_slug, join=Idea, pk=idea_id, also=", j.content_version"
    )


def idea_api_version(*, slug: str, project_slug: str, idea_id: int, **_: Any) -> str | None:
    """``idea_page_version`` for the API (an idea's record and its comments)."""
    return idea_page_version(municipality_slug=slug, project_slug=project_slug, idea_id=idea_id)


def idea_list_version(
    *, municipality_slug: str, project_slug: str, query: QueryDict | None = None, **_: Any
) -> tuple[str, str] | None:
    """The versions of a list of the project's ideas on the pages: the list's, and that of the
    counts its holes show (``ideas.cards``, ``core.page_cache.cached_for_visitors``).

    The list's is the project's version; ordered by supports, the counts' too (they make the
    order).
    """
    version = published_project_version(
        municipality_slug, project_slug, also=", p.activity_version"
    )
    if version is None:
        return None
    if query is not None and query.get("sortierung") == "unterstuetzt":
        return version, version
    return version.rsplit(":", 1)[0], version


def ideas_api_version(*, slug: str, project_slug: str, **_: Any) -> str | None:
    """The version of the API's lists of ideas (the list and the GeoJSON), which show counts."""
    return published_project_version(slug, project_slug, also=", p.activity_version")


def idea_list_key(project: Any, order: str) -> str:
    """``idea_list_version`` of a project already read (logged-in pages read the project)."""
    parts = [project.content_version, project.updated_at, project.municipality.content_version]
    if order == "unterstuetzt":
        parts.append(project.activity_version)
    return ":".join(map(str, parts))


def idea_page_key(idea: Idea) -> str:
    """``idea_page_version`` of an idea already read with its project and town."""
    project = idea.project
    return ":".join(
        map(
            str,
            [
                project.content_version,
                project.updated_at,
                project.municipality.content_version,
                idea.content_version,
            ],
        )
    )

"""Comments in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register, register_retention
from koproduktion.ideas.services import contributor_names_clear
from koproduktion.projects.services import projects_content_changed

from .models import Comment


def _show_comments_as_deleted(user: Any) -> None:
    # The comments stay in their threads under "deleted account"; cached pages are renewed.
    projects_content_changed(project_ids=Comment.objects.filter(author=user).values("project_id"))


register(
    name="comments",
    model=Comment,
    field="author",
    values=("idea_id", "idea__title", "stance", "text", "is_official", "created_at"),
    erase=_show_comments_as_deleted,
)
register(
    name="comments_recorded_on_behalf",
    model=Comment,
    field="recorded_by",
    values=("idea_id", "idea__title", "source", "created_at"),
    kept="staff's record of contributions gathered offline",
)
register_retention(
    "comment_contributor_names",
    lambda ids: contributor_names_clear(contributions=Comment.objects.filter(project_id__in=ids)),
)

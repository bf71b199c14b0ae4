"""Ideas and supports in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register, register_retention
from koproduktion.projects.services import projects_content_changed

from .models import Idea, IdeaStatusChange, Support
from .services import contributor_names_clear, idea_unsupport


def _show_ideas_as_deleted(user: Any) -> None:
    # The ideas stay, public, under "deleted account"; cached copies of their pages still show
    # the name, so those pages are renewed.
    projects_content_changed(project_ids=Idea.objects.filter(author=user).values("project_id"))


def _withdraw_supports(user: Any) -> None:
    # Through the same service as a person's own "no longer support", which keeps the idea's
    # counter in the same transaction.
    for support in Support.objects.filter(user=user).select_related("idea"):
        idea_unsupport(actor=user, idea=support.idea)


register(
    name="ideas",
    model=Idea,
    field="author",
    values=("project__title", "title", "text", "address", "status", "created_at", "edited_at"),
    erase=_show_ideas_as_deleted,
)
register(
    name="ideas_recorded_on_behalf",
    model=Idea,
    field="recorded_by",
    values=("project__title", "title", "source", "created_at"),
    kept="staff's record of contributions gathered offline",
)
register(
    name="idea_status_changes",
    model=IdeaStatusChange,
    field="changed_by",
    values=("idea__title", "old_status", "new_status", "reason", "changed_at"),
    kept="the public status history of an idea, given by staff",
)
register(
    name="supports",
    model=Support,
    field="user",
    values=("idea_id", "idea__title", "created_at"),
    erase=_withdraw_supports,
)
register_retention(
    "idea_contributor_names",
    lambda ids: contributor_names_clear(contributions=Idea.objects.filter(project_id__in=ids)),
)

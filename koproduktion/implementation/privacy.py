"""Commitments, resident groups and calendar feeds in the data download and on account deletion
(see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from koproduktion.accounts.personal_data import register, register_retention

from .models import CalendarToken, Commitment, Milestone, Task, Update
from .services import (
    calendar_token_revoke,
    commitment_contacts_clear,
    commitments_release,
    milestone_leave_group,
)


def _release_commitments(user: Any) -> None:
    commitments_release(user=user)


def _leave_groups(user: Any) -> None:
    for milestone in Milestone.objects.filter(group_members=user):
        milestone_leave_group(actor=user, milestone=milestone)


def _revoke_calendar(user: Any) -> None:
    calendar_token_revoke(user=user)


def _forget_contacts(project_ids: QuerySet) -> int:
    return commitment_contacts_clear(
        commitments=Commitment.objects.filter(project_id__in=project_ids)
    )


register(
    name="commitments",
    model=Commitment,
    field="user",
    values=(
        "project__title",
        "task__title",
        "shift__starts_at",
        "created_at",
        "cancelled_at",
        "done_at",
        "hours",
        "share_contact",
        "phone",
    ),
    erase=_release_commitments,
)
register(
    name="resident_groups",
    model=Milestone,
    field="group_members",
    values=("project__title", "title", "responsible_group"),
    erase=_leave_groups,
)
register(
    name="calendar_feeds",
    model=CalendarToken,
    field="user",
    values=("created_at", "revoked_at"),
    erase=_revoke_calendar,
)
register(
    name="tasks_created",
    model=Task,
    field="created_by",
    values=("project__title", "title", "created_at"),
    kept="tasks staff published; the task belongs to the project",
)
register(
    name="progress_reports",
    model=Update,
    field="author",
    values=("project__title", "posted_as", "text", "created_at"),
    kept="public progress reports, signed with the group or department they speak for",
)
register_retention("commitment_contacts", _forget_contacts)

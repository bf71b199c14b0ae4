"""Every write of the implementation app. Each service runs in one transaction."""

from .commitments import (
    calendar_token_create,
    calendar_token_revoke,
    calendar_token_user,
    commitment_cancel,
    commitment_cancel_on_site,
    commitment_contacts_clear,
    commitment_record_on_site,
    commitment_report_done,
    commitments_release,
    task_commit,
)
from .common import overview_url, task_url
from .plan import milestone_create, milestone_leave_group, milestone_update
from .tasks import ShiftSpec, shift_add, task_create, task_delete, task_publish
from .updates import update_post

__all__ = [
    "ShiftSpec",
    "calendar_token_create",
    "calendar_token_revoke",
    "calendar_token_user",
    "commitment_cancel",
    "commitment_cancel_on_site",
    "commitment_contacts_clear",
    "commitment_record_on_site",
    "commitment_report_done",
    "commitments_release",
    "milestone_create",
    "milestone_leave_group",
    "milestone_update",
    "overview_url",
    "shift_add",
    "task_commit",
    "task_create",
    "task_delete",
    "task_publish",
    "task_url",
    "update_post",
]

"""Who sees which department's inbox and acts on what waits there.

- staff: the inboxes of their own departments;
- the coordination and the town's admins: every inbox of their town, and what no department
  has yet;
- platform admins: all.
Answering and changing a status from the inbox also need the rules of those services
(``dialogue.can_answer_officially``, ``ideas.can_change_status``).
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import ALL_INBOXES_ROLES
from koproduktion.core.rules import (
    has_role,
    is_platform_admin,
    staff_departments,
    works_in_a_department_of,
)


@rules.predicate
def works_in_department(user: Any, department: Any) -> bool:
    return department is not None and department.pk in staff_departments(user)


@rules.predicate
def works_in_assigned_department(user: Any, assignment: Any) -> bool:
    return assignment.department_id in staff_departments(user)


sees_all_inboxes = is_platform_admin | has_role(*ALL_INBOXES_ROLES)

# (user, municipality): the town's inbox page, with the inboxes the person may see.
rules.add_rule("routing.can_view_inboxes", sees_all_inboxes | works_in_a_department_of)
# (user, municipality): every department's inbox and what is not routed yet.
rules.add_rule("routing.can_view_all_inboxes", sees_all_inboxes)
# (user, department)
rules.add_rule("routing.can_view_inbox", sees_all_inboxes | works_in_department)
# (user, assignment): sees it in an inbox, answers and sets its status from there.
rules.add_rule("routing.can_handle", sees_all_inboxes | works_in_assigned_department)
# (user, assignment): hands it to another department, with a reason.
rules.add_rule("routing.can_reassign", sees_all_inboxes | works_in_assigned_department)

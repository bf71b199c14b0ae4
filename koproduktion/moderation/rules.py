"""Reporting is open to every confirmed person; moderating belongs to the municipality's
moderators and admins; the log is theirs to read."""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import Role
from koproduktion.core.rules import has_confirmed_email, has_role, is_platform_admin
from koproduktion.ideas.rules import is_author


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


can_moderate = is_platform_admin | has_role(Role.MODERATOR, Role.ADMIN)

rules.add_rule("moderation.can_report", is_signed_in & has_confirmed_email & ~is_author)
rules.add_rule("moderation.can_moderate", can_moderate)
rules.add_rule("moderation.can_read_log", can_moderate)
rules.add_rule("moderation.can_set_rules", is_platform_admin | has_role(Role.ADMIN))

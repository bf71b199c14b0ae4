"""Who may do what with accounts."""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import TWO_FACTOR_ROLES


@rules.predicate
def holds_a_two_factor_role(user: Any) -> bool:
    """Platform admins, and staff, coordination, moderators or admins of any municipality.

    Asks the memberships themselves: where a municipality requires two-factor log-in, the roles
    the rules see are the ones that count without it (``core.rules.roles_by_municipality``).
    """
    if user.is_superuser:
        return True
    return user.memberships.filter(role__in=TWO_FACTOR_ROLES).exists()


@rules.predicate
def has_two_factor(user: Any) -> bool:
    return bool(user.two_factor_enabled)


# Turning it on is for people with a role that acts for others; whoever has it on keeps it.
rules.add_rule(
    "accounts.can_use_two_factor",
    rules.is_authenticated & rules.is_active & (has_two_factor | holds_a_two_factor_role),
)

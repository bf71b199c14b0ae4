"""Who may do what with an opinion map. Every rule takes the project as its object.

Voting and proposing follow the phase registry (``Capability.GIVE_OPINION``: the dialogue phase);
moderating does not, so that a moderator can still clear the queue after the phase ended.
"""

from __future__ import annotations

import rules

from koproduktion.core.roles import Role
from koproduktion.core.rules import has_role, is_blocked, is_platform_admin
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import can_view, capability_rule

# The very predicate behind ``projects.can_give_opinion``, so the two can never drift apart.
can_give_opinion = rules.rulesets.default_rules[capability_rule(Capability.GIVE_OPINION)]
# As in the moderation app: a blocked person moderates nothing until the block ends.
can_moderate = is_platform_admin | (
    has_role(Role.MODERATOR, Role.STAFF, Role.COORDINATION, Role.ADMIN) & ~is_blocked
)


@rules.predicate
def manages_project(user: object, project: object) -> bool:
    """``projects.can_manage``, asked by name: whatever the projects app decides there (for
    staff: the projects of their departments) decides here too."""
    return rules.test_rule("projects.can_manage", user, project)


rules.add_rule("opinions.can_view", can_view)
rules.add_rule("opinions.can_vote", can_give_opinion)
rules.add_rule("opinions.can_propose", can_give_opinion)
# Seeding statements, accepting or rejecting proposals, marking meta statements.
rules.add_rule("opinions.can_moderate", can_moderate)
# Importing a Polis export into the project's map and exporting its conversation: the people
# who manage the project.
rules.add_rule("opinions.can_import", manages_project)
rules.add_rule("opinions.can_export", manages_project)

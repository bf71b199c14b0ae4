"""Who sees the funnel in full: the town's admins and coordination (and platform admins)."""

import rules

from koproduktion.core.roles import PROJECT_WIDE_ROLES
from koproduktion.core.rules import has_role, is_platform_admin

# (user, municipality)
rules.add_rule("activity.can_view_full", is_platform_admin | has_role(*PROJECT_WIDE_ROLES))

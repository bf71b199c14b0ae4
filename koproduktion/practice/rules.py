"""Who may read and keep the library.

The library is the town's coordination's work (and its admins'): they tell what the town
learned. Staff of a department suggest examples to them; they do not publish for the town.
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import PROJECT_WIDE_ROLES
from koproduktion.core.rules import has_role, is_platform_admin


@rules.predicate
def example_is_public(user: Any, example: Any) -> bool:
    """Published, in a public town."""
    return example is not None and example.is_published and example.municipality.is_public


# (user, municipality or example): coordination and admins of the town, platform admins.
manages_practice = is_platform_admin | has_role(*PROJECT_WIDE_ROLES)

rules.add_rule("practice.can_view", example_is_public | manages_practice)
rules.add_rule("practice.can_manage", manages_practice)

"""The statement is public where the town is; its admins (and platform admins) edit it."""

import rules

from koproduktion.core.rules import can_manage_municipality

# (user, municipality)
rules.add_rule("accessibility.can_edit", can_manage_municipality)

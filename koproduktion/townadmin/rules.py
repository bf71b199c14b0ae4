"""The town's administration pages are its admins' (and platform admins')."""

import rules

from koproduktion.core.rules import can_manage_municipality

# (user, municipality) — also asked with a record of the town: its ``municipality_id`` counts.
rules.add_rule("townadmin.can_administer", can_manage_municipality)

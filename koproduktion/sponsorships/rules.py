"""Who may apply for, decide on and hand back sponsorships.

Sponsorships belong to a municipality, not to a project phase: caring for a tree goes on for
years. Applying needs a participant (confirmed address, a role in the municipality, not blocked).
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.rules import can_administer
from koproduktion.projects.rules import is_participant

from .models import SponsorshipStatus


@rules.predicate
def object_is_active(user: Any, obj: Any) -> bool:
    return obj is not None and obj.is_active


@rules.predicate
def is_sponsor(user: Any, sponsorship: Any) -> bool:
    return sponsorship is not None and sponsorship.sponsor_id == getattr(user, "pk", None)


@rules.predicate
def is_running(user: Any, sponsorship: Any) -> bool:
    return sponsorship is not None and sponsorship.status == SponsorshipStatus.APPROVED


@rules.predicate
def is_pending(user: Any, sponsorship: Any) -> bool:
    return sponsorship is not None and sponsorship.status == SponsorshipStatus.APPLIED


rules.add_rule("sponsorships.can_apply", object_is_active & is_participant)
rules.add_rule("sponsorships.can_manage", can_administer)
rules.add_rule("sponsorships.can_hand_back", is_running & (is_sponsor | can_administer))
rules.add_rule("sponsorships.can_withdraw", is_pending & is_sponsor)

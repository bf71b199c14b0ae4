"""Who sees and keeps an organisation's profile, and who acts for it.

A confirmed organisation is public wherever its town is. One not yet confirmed is seen by the
person who proposed it and by the town's administration only, so nobody meets an unconfirmed
name on the platform as if it were the real one.
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.rules import can_administer, can_manage_municipality
from koproduktion.core.selectors import represents


@rules.predicate
def is_verified(user: Any, organisation: Any) -> bool:
    return organisation is not None and organisation.verified_at is not None


@rules.predicate
def is_representative(user: Any, organisation: Any) -> bool:
    """Represents ``organisation`` now (one query; asked per page, never per row)."""
    return organisation is not None and represents(user=user, organisation=organisation)


@rules.predicate
def proposed_it(user: Any, organisation: Any) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import RepresentationRequest, RequestKind  # noqa: PLC0415 - app registry

    return RepresentationRequest.objects.filter(
        organisation=organisation, user=user, kind=RequestKind.NEW
    ).exists()


# Asked after the town itself was found for the person (``municipality_get``).
rules.add_rule("actors.can_view", is_verified | can_administer | proposed_it)
rules.add_rule(
    "actors.can_edit_profile", is_verified & (is_representative | can_manage_municipality)
)
# Acting for it (committing, registering, applying) is asked by those services through
# ``core.selectors.represents`` at the moment they act.
rules.add_rule("actors.can_act_for", is_verified & is_representative)

"""Reporting is open to every confirmed person; moderating belongs to the municipality's
moderators and admins; the log is theirs to read.

Warning, blocking and unblocking a person are asked with the person in the town
(``PersonInTown``): moderators act on the people taking part; people holding an office in the
town (``OFFICE_ROLES``: staff, moderation, council, admins) only its admins and platform admins;
nobody on themselves or on a platform admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from koproduktion.core.roles import OFFICE_ROLES, Role
from koproduktion.core.rules import (
    can_manage_municipality,
    has_confirmed_email,
    has_role,
    is_blocked,
    is_platform_admin,
)
from koproduktion.ideas.rules import is_author


@dataclass(frozen=True)
class PersonInTown:
    """Whom a moderation action is about, and where (a person may hold roles in several towns)."""

    municipality: Any
    person: Any

    @property
    def municipality_id(self) -> int:
        # The role predicates ask the acting person's roles in this municipality.
        return self.municipality.pk


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# A block holds back the office too: a moderator whom the town's admins blocked no longer hides,
# restores or warns until the block is lifted or ends.
can_moderate = is_platform_admin | (has_role(Role.MODERATOR, Role.ADMIN) & ~is_blocked)


@rules.predicate
def is_themselves(user: Any, subject: PersonInTown) -> bool:
    return subject.person.pk == user.pk


@rules.predicate
def is_a_platform_admin(user: Any, subject: PersonInTown) -> bool:
    return bool(subject.person.is_superuser)


@rules.predicate
def holds_office(user: Any, subject: PersonInTown) -> bool:
    """The person holds an office in the town: their memberships as stored, also the roles that
    a missing second factor holds back (``roles_by_municipality``) — they are still the town's."""
    from koproduktion.core.models import Membership  # noqa: PLC0415 - rules load before models

    return Membership.objects.filter(
        user=subject.person, municipality=subject.municipality, role__in=OFFICE_ROLES
    ).exists()


may_discipline = (
    ~is_themselves
    & ~is_a_platform_admin
    & (can_manage_municipality | (has_role(Role.MODERATOR) & ~holds_office))
)

rules.add_rule("moderation.can_report", is_signed_in & has_confirmed_email & ~is_author)
rules.add_rule("moderation.can_moderate", can_moderate)
rules.add_rule("moderation.can_read_log", can_moderate)
rules.add_rule("moderation.can_warn", may_discipline)
rules.add_rule("moderation.can_block", may_discipline)
# Lifting a block is for whoever could have set it: a blocked moderator cannot lift their own.
rules.add_rule("moderation.can_unblock", may_discipline)
rules.add_rule("moderation.can_set_rules", is_platform_admin | has_role(Role.ADMIN))


def discipline_refusal(user: Any, subject: PersonInTown) -> str | None:
    """Why ``user`` may not warn, block or unblock ``subject``, in words; None when they may.

    Asks the rule, then names the step that failed. Moderating at all is asked before
    (``moderation.can_moderate``).
    """
    from django.utils.translation import gettext as _  # noqa: PLC0415

    if may_discipline.test(user, subject):
        return None
    if is_themselves(user, subject):
        return _("Sich selbst verwarnen, sperren oder entsperren kann niemand.")
    if is_a_platform_admin(user, subject):
        return _("Plattform-Admins werden in einer Kommune weder verwarnt noch gesperrt.")
    if can_moderate(user, subject):
        return _(
            "Diese Person hat ein Amt in der Kommune (Verwaltung, Moderation, Rat oder Admin): "
            "verwarnen, sperren und entsperren können sie nur die Admins der Kommune."
        )
    return _("Moderieren dürfen nur die Moderation und die Admins dieser Kommune.")

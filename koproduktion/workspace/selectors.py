"""Reads of the workspace."""

from __future__ import annotations

from typing import Any

from koproduktion.core.models import Municipality
from koproduktion.core.roles import PROJECT_WIDE_ROLES, Role
from koproduktion.core.rules import roles_by_municipality, staff_departments


def workspace_towns(*, user: Any) -> list[Municipality]:
    """The towns in which ``user`` sets up projects (as staff with a department, the
    coordination or an admin), by name; no query for people without such a role."""
    roles = roles_by_municipality(user)
    towns = {town for town, held in roles.items() if held & PROJECT_WIDE_ROLES}
    if any(Role.STAFF in held for held in roles.values()):
        towns |= set(staff_departments(user).values())
    if not towns:
        return []
    return list(Municipality.objects.filter(pk__in=towns).order_by("name").only("slug", "name"))

"""What the inbox pages and the header's counts are cached by.

A town's inbox changes with its contributions, and every service that changes one raises a
version of its project: ``content_version`` for a new idea, a status, a withdrawal, moderation,
a new responsibility; ``activity_version`` for a comment (a question, an answer); names of
projects and departments change with the town's own ``content_version``. So the sum of the
town's project versions (both), their number and the town's version name every state of its
inboxes: one query for all of a person's towns, kept on the
user object for the rest of the request. Ages in days and "overdue" follow the clock, so the
keys also hold a ten-minute slot: a cached inbox is at most ten minutes behind the clock, never
behind a change.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.utils.translation import get_language

from koproduktion.core.db_router import read_connection
from koproduktion.core.models import Municipality
from koproduktion.core.roles import ALL_INBOXES_ROLES
from koproduktion.core.rules import (
    is_platform_admin,
    municipality_ids_with_role,
    staff_departments,
)
from koproduktion.projects.models import Project

CLOCK_SLOT_SECONDS = 600
_ATTRIBUTE = "_koproduktion_inbox_versions"


def town_versions(user: Any, municipality_ids: set[int]) -> dict[int, str]:
    """The version of each town's inboxes (see the module), one query per request."""
    known: dict[int, str] = getattr(user, _ATTRIBUTE, {})
    wanted = sorted(set(municipality_ids) - set(known))
    if wanted:
        marks = ", ".join(["%s"] * len(wanted))
        with read_connection(Municipality).cursor() as cursor:
            cursor.execute(
                "SELECT m.id, m.content_version, "  # noqa: S608 - names from the models
                "COALESCE(SUM(p.content_version + p.activity_version), 0), "
                f"COUNT(p.id) FROM {Municipality._meta.db_table} m "
                f"LEFT JOIN {Project._meta.db_table} p ON p.municipality_id = m.id "
                f"WHERE m.id IN ({marks}) GROUP BY m.id, m.content_version",
                wanted,
            )
            for town, own, projects, count in cursor.fetchall():
                known[town] = f"{own}.{projects}.{count}"
        if getattr(user, "is_authenticated", False):
            setattr(user, _ATTRIBUTE, known)
    return {town: known.get(town, "-") for town in municipality_ids}


def scope_key(user: Any, municipality_ids: set[int] | None = None) -> str:
    """What decides which items a person sees (not who they are): the towns whose inboxes they
    all see and the departments they work in."""
    everything = municipality_ids_with_role(user, ALL_INBOXES_ROLES)
    if is_platform_admin(user) and municipality_ids:
        everything |= municipality_ids
    departments = staff_departments(user)
    if municipality_ids is not None:
        everything &= municipality_ids
        departments = {d: t for d, t in departments.items() if t in municipality_ids}
    return f"all{sorted(everything)}:departments{sorted(departments)}"


def cache_key(kind: str, *parts: object) -> str:
    """A cache key for ``kind`` from ``parts``, with the language and the clock's slot."""
    slot = int(time.time() // CLOCK_SLOT_SECONDS)
    text = "|".join(str(part) for part in (*parts, get_language(), slot))
    return f"routing:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"

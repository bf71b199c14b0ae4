"""Role predicates: who holds which role in which municipality.

A person's roles are read with one query and kept on the user object for the rest of the request,
so that checking many rules (or a rule per row) costs no further queries.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import rules

from .roles import ADMINISTRATION_ROLES, TWO_FACTOR_ROLES, Role

_CACHE_ATTRIBUTE = "_koproduktion_roles"
_TWO_FACTOR_ATTRIBUTE = "_koproduktion_two_factor_missing"


def roles_by_municipality(user: Any) -> dict[int, frozenset[Role]]:
    """All roles of ``user``, keyed by municipality id; empty for anonymous or inactive people.

    Where a municipality requires two-factor log-in, its staff, moderator and admin roles count
    only for people who have it on (``user.two_factor_enabled``); until then they take part there
    as far as their other roles allow, and ``two_factor_missing`` names the municipality.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        from django.utils import timezone  # noqa: PLC0415

        now = timezone.now()
        grouped: dict[int, set[Role]] = defaultdict(set)
        blocked: set[int] = set()
        for municipality_id, role, ends_at in _roles_and_blocks(user):
            if role == _BLOCKED:
                if ends_at is None or ends_at > now:
                    blocked.add(municipality_id)
                continue
            grouped[municipality_id].add(Role(role))
        if not hasattr(user, _BLOCKS_ATTRIBUTE):
            setattr(user, _BLOCKS_ATTRIBUTE, frozenset(blocked))
        missing = _requiring_two_factor(
            [mid for mid, roles in grouped.items() if roles & TWO_FACTOR_ROLES]
        )
        if missing and getattr(user, "two_factor_enabled", False):
            missing = {}
        for municipality_id in missing:
            grouped[municipality_id] -= TWO_FACTOR_ROLES
        cached = {key: frozenset(value) for key, value in grouped.items() if value}
        setattr(user, _CACHE_ATTRIBUTE, cached)
        setattr(user, _TWO_FACTOR_ATTRIBUTE, missing)
    return cached


# Not a role: marks the rows of ``_roles_and_blocks`` that are blocks.
_BLOCKED = "-blocked"
# How long a person's roles stay in the cache: their version (``User.roles_version``) in the key
# makes every change show at once; this only lets unused entries go.
ROLES_CACHE_SECONDS = 3600


def _roles_and_blocks(user: Any) -> list[tuple[int, str, Any]]:
    """The person's memberships and the blocks not lifted, from the cache or in one query.

    Rows of (municipality id, role, None); a block is a row (municipality id, ``_BLOCKED``, its
    end or None), so that one that ends while cached ends on time. Nearly every page of a
    logged-in person asks for both. The cache is keyed by the person's ``roles_version``, which
    every change of their memberships or blocks raises in the same transaction: a process never
    reads roles older than the person it loaded.
    """
    from .page_cache import keep, kept  # noqa: PLC0415

    version = getattr(user, "roles_version", None)
    key = f"roles:{user.pk}:{version}"
    if version is not None:
        rows = kept(key)  # keyed by the version: a copy this process kept is never older
        if rows is not None:
            return rows
    rows = _roles_and_blocks_read(user.pk)
    if version is not None:
        keep(key, rows, ROLES_CACHE_SECONDS)
    return rows


def _roles_and_blocks_read(user_id: int) -> list[tuple[int, str, Any]]:
    """The rows of ``_roles_and_blocks``, one hand-written query: asked by the first page of
    every logged-in person in each process, where the ORM's building of a UNION cost several
    times the query. The blocks come first, so that SQLite knows the type of their end."""
    from .db_router import read_connection  # noqa: PLC0415
    from .models import Block, Membership  # noqa: PLC0415 - predicates load before the app registry

    connection = read_connection(Membership)
    ends_at = Block._meta.get_field("ends_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT municipality_id, %s, {ends_at.column} FROM {Block._meta.db_table} "  # noqa: S608 - names from the models
            "WHERE user_id = %s AND lifted_at IS NULL UNION ALL "
            f"SELECT municipality_id, role, NULL FROM {Membership._meta.db_table} "
            "WHERE user_id = %s",
            [_BLOCKED, user_id, user_id],
        )
        rows = cursor.fetchall()
    expression = ends_at.get_col(Block._meta.db_table)
    converters = [
        *connection.ops.get_db_converters(expression),
        *ends_at.get_db_converters(connection),
    ]

    def end(value: Any) -> Any:
        for convert in converters:
            value = convert(value, expression, connection)
        return value

    return [(municipality_id, role, end(ends)) for municipality_id, role, ends in rows]


def _requiring_two_factor(municipality_ids: list[int]) -> dict[int, str]:
    """Of these towns (where the person holds a role that needs it), those that require
    two-factor log-in, id → slug. Asked afresh, so a town that starts requiring it does so at
    once; residents, who hold no such role, are asked nothing."""
    if not municipality_ids:
        return {}
    from .models import Municipality  # noqa: PLC0415 - predicates load before the app registry

    return dict(
        Municipality.objects.filter(pk__in=municipality_ids, require_two_factor=True).values_list(
            "pk", "slug"
        )
    )


def two_factor_missing(user: Any) -> dict[int, str]:
    """Municipalities (id → slug) whose roles ``user`` cannot use until two-factor log-in is on."""
    roles_by_municipality(user)
    return getattr(user, _TWO_FACTOR_ATTRIBUTE, {})


_DEPARTMENTS_ATTRIBUTE = "_koproduktion_departments"


def staff_departments(user: Any) -> dict[int, int]:
    """The departments ``user`` works in as staff (department id → municipality id), where the
    staff role counts (two-factor log-in where required); read once per request, and only by
    pages that ask."""
    cached = getattr(user, _DEPARTMENTS_ATTRIBUTE, None)
    if cached is None:
        towns = municipality_ids_with_role(user, frozenset({Role.STAFF}))
        cached = {}
        if towns:
            from .models import Membership  # noqa: PLC0415 - predicates load before the app registry

            cached = dict(
                Membership.departments.through.objects.filter(
                    membership__user=user,
                    membership__role=Role.STAFF,
                    membership__municipality_id__in=towns,
                ).values_list("department_id", "department__municipality_id")
            )
        setattr(user, _DEPARTMENTS_ATTRIBUTE, cached)
    return cached


def staff_department_ids(user: Any) -> frozenset[int]:
    return frozenset(staff_departments(user))


@rules.predicate
def works_in_a_department_of(user: Any, municipality: Any) -> bool:
    """Staff of at least one department of ``municipality``."""
    return municipality is not None and municipality.pk in staff_departments(user).values()


def forget_roles(user: Any) -> None:
    """Drop the cached roles and blocks, after a service changed them: on this object, and for
    every process (the person's ``roles_version`` rises). Call it inside the service's
    transaction, so that the change and the new version are seen together."""
    roles_changed(user.pk)
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    if hasattr(user, "roles_version"):
        user.roles_version = (
            get_user_model().objects.filter(pk=user.pk).values_list("roles_version", flat=True)
        ).first() or 0
    for attribute in (
        _CACHE_ATTRIBUTE,
        _BLOCKS_ATTRIBUTE,
        _TWO_FACTOR_ATTRIBUTE,
        _DEPARTMENTS_ATTRIBUTE,
    ):
        if hasattr(user, attribute):
            delattr(user, attribute)


_BLOCKS_ATTRIBUTE = "_koproduktion_blocked_in"


def blocked_municipality_ids(user: Any) -> frozenset[int]:
    """Municipalities in which ``user`` is blocked right now; read once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _BLOCKS_ATTRIBUTE, None)
    if cached is None:
        # The blocks are read with the roles; read both again, not roles alone from the cache.
        if hasattr(user, _CACHE_ATTRIBUTE):
            delattr(user, _CACHE_ATTRIBUTE)
        roles_by_municipality(user)
        cached = getattr(user, _BLOCKS_ATTRIBUTE, frozenset())
    return cached


@rules.predicate
def is_blocked(user: Any, obj: Any) -> bool:
    return obj is not None and obj.municipality_id in blocked_municipality_ids(user)


def municipality_ids_with_role(user: Any, roles: frozenset[Role]) -> set[int]:
    return {mid for mid, held in roles_by_municipality(user).items() if held & roles}


def has_role(*roles: Role) -> rules.Predicate:
    """Predicate: the person holds one of ``roles`` in the object's municipality.

    Without an object (a model-level check, as the admin makes) it asks whether the person holds
    one of the roles in any municipality.
    """
    wanted = frozenset(roles)
    name = "has_role:" + ",".join(sorted(role.value for role in wanted))

    @rules.predicate(name)
    def predicate(user: Any, obj: Any = None) -> bool:
        held = roles_by_municipality(user)
        if obj is None:
            return any(roles & wanted for roles in held.values())
        return bool(held.get(obj.municipality_id, frozenset()) & wanted)

    return predicate


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


@rules.predicate
def has_confirmed_email(user: Any) -> bool:
    return bool(getattr(user, "email_confirmed_at", None))


is_administration = has_role(*ADMINISTRATION_ROLES)
is_municipality_admin = has_role(Role.ADMIN)
is_member = has_role(*Role)


@rules.predicate
def municipality_is_public(user: Any, obj: Any) -> bool:
    return obj is not None and obj.is_public


can_manage_municipality = is_platform_admin | is_municipality_admin
can_administer = is_platform_admin | is_administration

rules.add_rule("core.can_view_municipality", municipality_is_public | can_administer)
rules.add_rule("core.can_manage_municipality", can_manage_municipality)
# The administration's log names staff and what they changed: the town's admins read it.
rules.add_rule("core.can_read_audit_log", can_manage_municipality)
# The town's roles page: who holds which office, invitations, two-factor log-in for its staff.
rules.add_rule("core.can_manage_roles", can_manage_municipality)
# The town's gazetteer of places (streets, squares, landmarks): its administration keeps it.
rules.add_rule("core.can_manage_places", can_administer)


def roles_changed(user_id: int | None) -> None:
    """Raise the person's ``roles_version``: their cached roles are read afresh everywhere."""
    if user_id is None:
        return
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.db.models import F  # noqa: PLC0415

    get_user_model().objects.filter(pk=user_id).update(roles_version=F("roles_version") + 1)

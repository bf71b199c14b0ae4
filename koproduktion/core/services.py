"""Writes of municipalities, their parts and people's roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from .models import Membership, Municipality
from .roles import Role
from .rules import forget_roles


def _permission(action: str, record: models.Model) -> str:
    meta = record._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


@transaction.atomic
def tenant_record_save(*, actor: Any, record: models.Model) -> models.Model:
    """Save a municipality or a record of one, as ``actor``, after validating it.

    The one write path for records edited through the admin: it checks the actor's rule for this
    very record (its municipality), so a form that offered the wrong choices cannot write across
    tenants.
    """
    action = "add" if record._state.adding else "change"
    if not actor.has_perm(_permission(action, record), record):
        raise PermissionDenied
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def tenant_record_delete(*, actor: Any, record: models.Model) -> None:
    if not actor.has_perm(_permission("delete", record), record):
        raise PermissionDenied
    record.delete()


@transaction.atomic
def membership_grant(
    *,
    user: Any,
    municipality: Municipality,
    role: Role,
    organisation: Any = None,
    departments: list[Any] | None = None,
) -> Membership:
    """Give ``user`` a role in ``municipality``; granting a role twice changes nothing."""
    membership, _created = Membership.objects.get_or_create(
        user=user,
        municipality=municipality,
        role=role,
        defaults={"organisation": organisation},
    )
    if departments:
        membership.departments.add(*departments)
    forget_roles(user)
    return membership

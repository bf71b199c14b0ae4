"""Writes of municipalities, their parts and people's roles."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited

from .models import Block, Membership, Municipality
from .roles import Role
from .rules import forget_roles


def _permission(action: str, record: models.Model) -> str:
    meta = record._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


@transaction.atomic
@audited(gettext_lazy("Im Admin gespeichert"), target="record")
def tenant_record_save(*, actor: Any, record: models.Model) -> models.Model:
    """Save a municipality or a record of one, as ``actor``, after validating it.

    The one write path for records edited through the admin: it checks the actor's rule for this
    very record (its municipality), so a form that offered the wrong choices cannot write across
    tenants. It raises the municipality's content version, so no cached page of the town shows
    the record as it was.
    """
    action = "add" if record._state.adding else "change"
    if not actor.has_perm(_permission(action, record), record):
        raise PermissionDenied
    record.full_clean()
    if record._state.adding:
        record.save()
    else:
        # Content versions only ever go up, by an UPDATE … + 1; writing back the value the form
        # read could lower one and bring an old cached page back.
        record.save(
            update_fields=[
                field.name
                for field in record._meta.concrete_fields
                if not field.primary_key and field.name != "content_version"
            ]
        )
    municipality_content_changed(municipality_id=record.municipality_id)
    return record


@transaction.atomic
@audited(gettext_lazy("Im Admin gelöscht"), target="record")
def tenant_record_delete(*, actor: Any, record: models.Model) -> None:
    if not actor.has_perm(_permission("delete", record), record):
        raise PermissionDenied
    municipality_id = record.municipality_id  # read first: a deleted municipality has no pk
    record.delete()
    municipality_content_changed(municipality_id=municipality_id)


def municipality_content_changed(*, municipality_id: int) -> None:
    """Note that the town's public pages changed, so cached copies are not served again.

    Every cached page of the town is keyed by this version (the project pages too, which show
    the town's name, neighbourhoods and departments). Raised by the project services for what the
    project lists show, and by every write through the admin (``tenant_record_save``), where
    staff change names, descriptions, neighbourhoods, departments and topics.
    """
    Municipality.objects.filter(pk=municipality_id).update(content_version=F("content_version") + 1)


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


@transaction.atomic
def memberships_remove(*, user: Any) -> None:
    """Take every role and every block of ``user`` away (account deletion)."""
    Membership.objects.filter(user=user).delete()
    Block.objects.filter(user=user).delete()
    forget_roles(user)


@transaction.atomic
@audited(
    gettext_lazy("Zwei-Faktor-Pflicht geändert"),
    target="municipality",
    fields=["require_two_factor"],
)
def municipality_two_factor_set(
    *, actor: Any, municipality: Municipality, required: bool
) -> Municipality:
    """Require two-factor log-in of the municipality's staff, moderators and admins, or not.

    From the next request on, such people without it lose those roles here
    (``rules.roles_by_municipality``) and are sent to set it up.
    """
    if not rules.test_rule("core.can_manage_municipality", actor, municipality):
        raise PermissionDenied
    Municipality.objects.filter(pk=municipality.pk).update(require_two_factor=required)
    municipality.require_two_factor = required
    forget_roles(actor)
    return municipality

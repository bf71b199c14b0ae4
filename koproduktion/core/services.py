"""Writes of municipalities, their parts and people's roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited

from .gazetteer import read_places, search_key
from .models import Block, Department, Membership, Municipality, Neighbourhood, Place
from .permissions import require
from .ratelimit import check_rate
from .roles import Role
from .rules import forget_roles, is_platform_admin

if TYPE_CHECKING:
    from koproduktion.accounts.models import User


def _require_platform_admin(actor: Any) -> None:
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Das können nur Plattform-Admins."))


@transaction.atomic
@audited(gettext_lazy("Im Admin gespeichert"), target="record")
def tenant_record_save(*, actor: Any, record: models.Model) -> models.Model:
    """Save a municipality or a record of one, as ``actor``, after validating it.

    The write path of Django's admin, which only platform admins reach: it validates the record,
    logs the change in the town's administration log and raises the municipality's content
    version, so no cached page of the town shows the record as it was.
    """
    _require_platform_admin(actor)
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
    _require_platform_admin(actor)
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


GERMAN_LETTERS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def town_slug(
    model: type[models.Model], municipality_id: int, name: str, reserved: Iterable[str] = ()
) -> str:
    """A readable address for a new record of a town (``Südstadt`` → ``suedstadt``), free in
    the town and not one of ``reserved`` (paths beside it, such as ``neu``)."""
    spelled = re.sub("[äöüß]", lambda m: GERMAN_LETTERS[m.group()], name.lower())
    base = slugify(spelled)[:70] or model._meta.model_name
    taken = set(reserved) | set(
        model._default_manager.filter(
            municipality_id=municipality_id, slug__startswith=base
        ).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


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
    # A person may represent several organisations: one row each.
    lookup = {"organisation": organisation} if role == Role.ORGANISATION else {}
    membership, _created = Membership.objects.get_or_create(
        user=user,
        municipality=municipality,
        role=role,
        **lookup,
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
    # Pages read the town as kept per its version (projects.selectors.published_project_get).
    municipality_content_changed(municipality_id=municipality.pk)
    forget_roles(actor)
    return municipality


# --- A town's roles, given and taken by its admins (the roles page) --------------------------------

# The roles a town's admins give and take on its roles page: those that hold an office. Residents
# take part by signing up; an organisation's representatives are named with their organisation.
GRANTABLE_ROLES = (Role.ADMIN, Role.COORDINATION, Role.STAFF, Role.MODERATOR, Role.COUNCIL)


def _require_role_management(actor: User, municipality: Municipality) -> None:
    require(
        "core.can_manage_roles",
        actor,
        municipality,
        _("Rollen vergeben und entziehen nur die Admins der Kommune."),
    )


def role_choice_check(
    *, municipality: Municipality, roles: Iterable[str], departments: Iterable[Department]
) -> tuple[list[Role], list[Department]]:
    """The roles and departments, checked: roles a town's admins give, at least one; departments
    of this town, and only with the staff role. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    roles = list(roles)
    chosen = [Role(role) for role in roles if role in GRANTABLE_ROLES]
    departments = list(departments)
    if len(chosen) != len(roles) or not chosen:
        errors["roles"] = _("Bitte wählen Sie eine oder mehrere der angebotenen Rollen.")
    if any(department.municipality_id != municipality.pk for department in departments):
        errors["departments"] = _("Dieser Fachbereich gehört zu einer anderen Kommune.")
    elif departments and Role.STAFF not in chosen:
        errors["departments"] = _(
            "Fachbereiche gehören zur Rolle „Verwaltung“: wählen Sie sie mit aus oder lassen "
            "Sie die Fachbereiche leer."
        )
    if errors:
        raise ValidationError(errors)
    return sorted(set(chosen), key=GRANTABLE_ROLES.index), departments


def roles_held_refusal(
    *, municipality: Municipality, user: User | None, roles: Iterable[Role]
) -> ValidationError | None:
    """A refusal naming the roles ``user`` holds in the town already, or None."""
    if user is None:
        return None
    held = Membership.objects.filter(user=user, municipality=municipality, role__in=list(roles))
    names = [str(Role(role).label) for role in held.values_list("role", flat=True)]
    if not names:
        return None
    return ValidationError(
        {
            "roles": _(
                "Diese Person hat hier schon die Rolle %(roles)s. Fachbereiche ändern Sie in "
                "der Liste unten."
            )
            % {"roles": ", ".join(names)}
        }
    )


def roles_grant_by_email(
    *,
    actor: User,
    municipality: Municipality,
    email: str,
    roles: Iterable[str],
    departments: Iterable[Department],
    ip: str,
) -> list[Membership]:
    """Give the account under ``email`` the ``roles`` in ``municipality`` (staff: ``departments``).

    Whether an address has an account is something an admin learns here, and only here: the
    lookups are counted (``role_grant``: per admin and per client address) before anything is
    checked, outside the grant's transaction, so refused lookups count too. An address without an
    account is refused next to the field; the roles page offers the invitation instead.
    """
    _require_role_management(actor, municipality)
    check_rate(action="role_grant", user=actor, ip=ip)
    chosen, departments = role_choice_check(
        municipality=municipality, roles=roles, departments=departments
    )
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, deleted_at__isnull=True)
        .first()
    )
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Unter dieser Adresse gibt es kein Konto. Senden Sie stattdessen eine "
                    "Einladung: mit ihrem Link legt die Person ein Konto an und erhält die Rollen."
                )
            }
        )
    refused = roles_held_refusal(municipality=municipality, user=user, roles=chosen)
    if refused is not None:
        raise refused
    with transaction.atomic():
        return [
            role_grant(
                actor=actor,
                municipality=municipality,
                user=user,
                role=role,
                departments=departments if role == Role.STAFF else [],
            )
            for role in chosen
        ]


@transaction.atomic
@audited(gettext_lazy("Rolle vergeben"), fields=["user", "role", "departments"])
def role_grant(
    *,
    actor: User,
    municipality: Municipality,
    user: User,
    role: Role,
    departments: Iterable[Department] = (),
) -> Membership:
    """Give ``user`` one role in ``municipality``, as one of its admins (or a platform admin).

    Whatever the role opens follows from it at the person's next request: no flag to set.
    """
    _require_role_management(actor, municipality)
    if role not in GRANTABLE_ROLES:
        raise ValidationError({"roles": _("Diese Rolle wird hier nicht vergeben.")})
    role_choice_check(municipality=municipality, roles=[role], departments=departments)
    refused = roles_held_refusal(municipality=municipality, user=user, roles=[role])
    if refused is not None:
        raise refused
    return membership_grant(
        user=user, municipality=municipality, role=role, departments=list(departments)
    )


@transaction.atomic
@audited(
    gettext_lazy("Fachbereiche einer Rolle geändert"), target="membership", fields=["departments"]
)
def membership_departments_set(
    *, actor: User, membership: Membership, departments: Iterable[Department]
) -> Membership:
    """The departments a staff member works in: their inboxes, and the projects they answer for."""
    municipality = membership.municipality
    _require_role_management(actor, municipality)
    departments = list(departments)
    if membership.role != Role.STAFF:
        raise ValidationError({"departments": _("Fachbereiche hat nur die Rolle „Verwaltung“.")})
    role_choice_check(municipality=municipality, roles=[Role.STAFF], departments=departments)
    membership.departments.set(departments)
    forget_roles(membership.user)
    return membership


@transaction.atomic
@audited(
    gettext_lazy("Rolle entzogen"), target="membership", fields=["user", "role", "departments"]
)
def membership_revoke(*, actor: User, membership: Membership, reason: str) -> None:
    """Take a role away, with a reason for the log.

    A town keeps at least one admin: the last admin role is not taken, also not by its holder.
    The town's row is locked first, so two admins taking each other's role at once cannot leave
    it with none.
    """
    municipality = Municipality.objects.select_for_update().get(pk=membership.municipality_id)
    _require_role_management(actor, municipality)
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte begründen Sie, warum die Rolle endet.")})
    if membership.role == Role.ADMIN:
        admins = Membership.objects.filter(
            municipality=municipality, role=Role.ADMIN, user__is_active=True
        ).exclude(pk=membership.pk)
        if not admins.exists():
            message = (
                _(
                    "Sie sind die einzige Admin-Person dieser Kommune. Ernennen Sie zuerst eine "
                    "weitere; dann kann sie Ihnen die Rolle abnehmen."
                )
                if membership.user_id == actor.pk
                else _(
                    "Das ist die letzte Admin-Rolle dieser Kommune. Ernennen Sie zuerst eine "
                    "weitere Admin-Person."
                )
            )
            raise ValidationError(message, code="last_admin")
    membership.delete()
    forget_roles(membership.user)


# --- The town's gazetteer: streets, squares and places people choose instead of coordinates ------


@dataclass(frozen=True)
class PlacesImported:
    created: int
    updated: int


@transaction.atomic
@audited(gettext_lazy("Ortsverzeichnis eingelesen"), target="municipality", fields=())
def places_import(*, actor: Any, municipality: Municipality, data: bytes) -> PlacesImported:
    """Read a CSV file of places (``core.gazetteer.read_places``) into the town's gazetteer.

    All or nothing: any wrong line refuses the whole file, with every line's reason, and writes
    nothing. A name already in the gazetteer gets the file's kind, point and neighbourhood.
    """
    require(
        "core.can_manage_places",
        actor,
        municipality,
        _("Das Ortsverzeichnis pflegt die Verwaltung der Kommune."),
    )
    by_name = {
        neighbourhood.name.casefold(): neighbourhood
        for neighbourhood in Neighbourhood.objects.filter(municipality=municipality)
    }
    rows, errors = read_places(data, municipality=municipality, neighbourhoods=set(by_name))
    if errors:
        raise ValidationError({"data": errors})
    existing = {
        place.name.casefold(): place for place in Place.objects.filter(municipality=municipality)
    }
    created, updated = [], []
    for row in rows:
        place = existing.get(row.name.casefold()) or Place(municipality=municipality)
        (updated if place.pk else created).append(place)
        place.name, place.kind = row.name, row.kind
        place.latitude, place.longitude = row.latitude, row.longitude
        place.neighbourhood = by_name.get(row.neighbourhood.casefold())
        place.search_name = search_key(row.name)
    Place.objects.bulk_create(created, batch_size=500)
    Place.objects.bulk_update(
        updated,
        ["name", "kind", "latitude", "longitude", "neighbourhood", "search_name"],
        batch_size=500,
    )
    return PlacesImported(created=len(created), updated=len(updated))

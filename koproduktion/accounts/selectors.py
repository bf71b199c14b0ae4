"""Reads of accounts."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from koproduktion.core.models import Membership, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.rules import municipality_ids_with_role
from koproduktion.core.services import GRANTABLE_ROLES

from .models import ApiToken, Invitation, User
from .personal_data import registered
from .services import secret_hash


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The person's API tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "public_name": user.public_name,
        "language": user.language,
        "date_joined": user.date_joined,
        "email_confirmed_at": user.email_confirmed_at,
        "last_login": user.last_login,
        "privacy_notice_version": user.privacy_notice_version,
        "privacy_notice_accepted_at": user.privacy_notice_accepted_at,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def personal_data_files(*, user: User) -> dict[str, Any]:
    """Everything the platform keeps about ``user``, by file name: the profile and one list per
    kind of record (every field pointing at a person, see ``accounts.personal_data``).

    How the person voted in a secret ballot is not among it: ballots are linked to no one.
    """
    files: dict[str, Any] = {"profile.json": _profile(user)}
    for entry in registered():
        files[f"{entry.name}.json"] = entry.export(user)
    return files


def personal_data_archive(*, user: User) -> bytes:
    """The data download: a ZIP with one JSON file per kind of record.

    Built in the request: even a very active person has a few thousand rows, a few hundred
    kilobytes of JSON.
    """
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in personal_data_files(user=user).items():
            text = json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
            archive.writestr(
                zipfile.ZipInfo(name, date_time=stamp), text, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def unconfirmed_accounts(*, joined_before: datetime.datetime) -> QuerySet[User]:
    """Registrations never confirmed, made before ``joined_before``; deleted ones left out."""
    return User.objects.filter(
        email_confirmed_at__isnull=True, date_joined__lt=joined_before, deleted_at__isnull=True
    )


def office_holders(*, municipality: Municipality) -> QuerySet[Membership]:
    """The town's offices (the roles its admins give), by role and then name, with each
    person and, for staff, their departments: a page of it costs the same queries (the page and
    the departments of its rows), however many people hold an office."""
    order = Case(
        *(When(role=role, then=Value(position)) for position, role in enumerate(GRANTABLE_ROLES)),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(municipality=municipality, role__in=GRANTABLE_ROLES)
        .select_related("user")
        .prefetch_related("departments")
        .order_by(order, Lower("user__public_name"), "pk")
    )


def office_holder_get(*, municipality: Municipality, membership_id: int) -> Membership:
    """One of the town's offices, or 404 (another town's, a resident's, none)."""
    membership = (
        Membership.objects.filter(
            municipality=municipality, role__in=GRANTABLE_ROLES, pk=membership_id
        )
        .select_related("user", "municipality")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def open_invitations(*, municipality: Municipality) -> list[Invitation]:
    """The town's invitations neither accepted nor withdrawn (expired ones too), newest first."""
    return list(
        Invitation.objects.filter(
            municipality=municipality, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("created_by")
        .prefetch_related("departments")
        .order_by("-sent_at", "-pk")
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation whose link carries ``token`` (only the hash is stored), or None."""
    return (
        Invitation.objects.select_related("municipality")
        .prefetch_related("departments")
        .filter(token_hash=secret_hash(token))
        .first()
    )


def administered_towns(*, user: User) -> list[Municipality]:
    """The towns where ``user`` is an admin (as the rules count roles), by name; one query, and
    none for people who are admins nowhere."""
    towns = municipality_ids_with_role(user, frozenset({Role.ADMIN}))
    if not towns:
        return []
    return list(Municipality.objects.filter(pk__in=towns).only("slug", "name").order_by("name"))

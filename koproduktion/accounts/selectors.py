"""Reads of accounts."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, User
from .personal_data import registered


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

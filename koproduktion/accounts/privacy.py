"""API keys and the admin's log in the data download and on account deletion
(see accounts.personal_data; the profile itself is part of every download)."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry

from .models import ApiToken, RecoveryCode, TwoFactorDevice, User
from .personal_data import register
from .services import api_tokens_delete
from .two_factor import two_factor_forget


def _delete_tokens(user: User) -> None:
    api_tokens_delete(user=user)


register(
    name="api_keys",
    model=ApiToken,
    field="user",
    values=("name", "prefix", "created_at", "last_used_at", "revoked_at"),
    erase=_delete_tokens,
)


def _forget_two_factor(user: User) -> None:
    two_factor_forget(user=user)


# The secret and the codes' hashes are never shown, not even to the person: they would let
# anyone holding the download pass the second step.
register(
    name="two_factor",
    model=TwoFactorDevice,
    field="user",
    values=("confirmed_at",),
    erase=_forget_two_factor,
)
register(
    name="recovery_codes",
    model=RecoveryCode,
    field="user",
    values=("created_at", "used_at"),
    erase=_forget_two_factor,
)
register(
    name="admin_log",
    model=LogEntry,
    field="user",
    values=("action_time", "content_type__model", "object_repr", "action_flag"),
    kept="a record of what staff did in the administration",
)

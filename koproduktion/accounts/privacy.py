"""API keys and the admin's log in the data download and on account deletion
(see accounts.personal_data; the profile itself is part of every download)."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.db.models import QuerySet

from .models import ApiToken, Invitation, RecoveryCode, TwoFactorDevice, User
from .personal_data import register, register_retention
from .services import api_tokens_delete, invitations_expired_delete, invitations_forget
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


def _forget_invitations(user: User) -> None:
    invitations_forget(user=user)


# Who invited whom stays with the town (the inviter's name goes with the account); the
# invitations a person accepted, or that wait for their address, go with their account.
register(
    name="invitations_sent",
    model=Invitation,
    field="created_by",
    values=("municipality__name", "roles", "created_at"),
    kept="a record of what staff did in the administration",
)
register(
    name="invitations",
    model=Invitation,
    field="accepted_by",
    values=("municipality__name", "roles", "created_at", "accepted_at"),
    erase=_forget_invitations,
)


def _expired_invitations(_project_ids: QuerySet) -> int:
    return invitations_expired_delete()


# Runs with the retention of the projects, whose ids it does not need: an invitation that was
# never accepted keeps an address of someone who did not join.
register_retention("invitations", _expired_invitations)

"""Verification and poll participation in the data download and on account deletion
(see accounts.personal_data). Ballots are not linked to anyone and never appear here."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import (
    CodeBatch,
    Decision,
    DecisionVersion,
    Participation,
    Verification,
    VerificationCode,
)
from .services import verifications_forget

STAFF_RECORD = "a record of what staff did"


def _forget(user: Any) -> None:
    verifications_forget(user=user)


register(
    name="verifications",
    model=Verification,
    field="user",
    values=(
        "municipality__name",
        "method",
        "neighbourhood__name",
        "birth_date",
        "verified_at",
    ),
    erase=_forget,
)
register(
    name="verification_codes_redeemed",
    model=VerificationCode,
    field="redeemed_by",
    values=("redeemed_at",),
    erase=_forget,
)
# That the person voted in a poll (never how: ballots carry no link to anyone). Kept with the
# anonymous account, so the vote still counts once and cannot be cast again.
register(
    name="poll_participations",
    model=Participation,
    field="voter",
    values=("poll__project__title", "poll__title", "voted_at"),
    kept="secret-ballot participation: the vote must count once and stay untouched",
)
register(
    name="verifications_made",
    model=Verification,
    field="verified_by",
    values=("municipality__name", "method", "verified_at"),
    kept=STAFF_RECORD,
)
register(
    name="code_batches_created",
    model=CodeBatch,
    field="created_by",
    values=("note", "created_at"),
    kept=STAFF_RECORD,
)
register(
    name="decisions_recorded",
    model=Decision,
    field="recorded_by",
    values=("project__title", "title", "decided_on", "recorded_at"),
    kept=STAFF_RECORD,
)
register(
    name="decision_versions",
    model=DecisionVersion,
    field="edited_by",
    values=("decision__title", "version", "change_note", "edited_at"),
    kept=STAFF_RECORD,
)

"""Opinion-map answers and statements in the data download and on account deletion
(see accounts.personal_data)."""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register
from koproduktion.projects.services import projects_content_changed

from .models import Participant, PolisImport, Statement, StatementVote
from .services import votes_withdraw_all


def _withdraw_votes(user: Any) -> None:
    votes_withdraw_all(user=user)


def _show_statements_as_deleted(user: Any) -> None:
    projects_content_changed(project_ids=Statement.objects.filter(author=user).values("project_id"))


register(
    name="opinion_map_participations",
    model=Participant,
    field="user",
    values=("project__title", "created_at"),
    erase=_withdraw_votes,
)
# Reached through the participant rows above; listed for the download, erased with them.
register(
    name="opinion_map_answers",
    model=StatementVote,
    field="participant__user",
    values=("project__title", "statement__text", "value", "created_at", "updated_at"),
    erase=_withdraw_votes,
)
register(
    name="statements",
    model=Statement,
    field="author",
    values=("project__title", "text", "status", "moderation_reason", "created_at"),
    erase=_show_statements_as_deleted,
)
# Who uploaded a Polis export: kept with the anonymous account, like the other records of
# what staff did (the upload is in the administration's log too).
register(
    name="polis_imports_uploaded",
    model=PolisImport,
    field="created_by",
    values=("project__title", "status", "created_at"),
    kept="a record of what staff did",
)

"""Reports and the moderation log in the data download and on account deletion
(see accounts.personal_data)."""

from __future__ import annotations

from koproduktion.accounts.personal_data import register

from .models import ModerationAction, Report

register(
    name="reports",
    model=Report,
    field="reporter",
    values=("idea_id", "comment_id", "reason", "explanation", "created_at", "resolved_at"),
    kept="the moderation record; the reporter becomes the anonymous account",
)
register(
    name="moderation_actions_taken",
    model=ModerationAction,
    field="moderator",
    values=("kind", "idea_id", "comment_id", "reason", "created_at"),
    kept="the public moderation log",
)
register(
    name="moderation_actions_about_me",
    model=ModerationAction,
    field="target_user",
    values=("kind", "idea_id", "comment_id", "reason", "created_at"),
    kept="the public moderation log",
)

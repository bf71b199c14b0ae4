"""Who may do what with ideas. Role and phase come from the project rules; these add the
idea's own state (author, edit window, withdrawn, hidden)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import rules
from django.conf import settings
from django.utils import timezone

from koproduktion.core.rules import can_administer
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import (
    capability_rule,
    is_published,
    manages_project_of,
    phase_permits,
)


def _project_rule(capability: Capability) -> rules.Predicate:
    """The project's capability rule, asked for the idea's project."""
    name = capability_rule(capability)

    @rules.predicate(f"idea_project:{capability.value}")
    def predicate(user: Any, idea: Any) -> bool:
        return rules.test_rule(name, user, idea.project)

    return predicate


@rules.predicate
def is_author(user: Any, contribution: Any) -> bool:
    return contribution.author_id is not None and contribution.author_id == getattr(
        user, "pk", None
    )


@rules.predicate
def is_open(user: Any, idea: Any) -> bool:
    """Neither withdrawn by its author, nor hidden by moderation, nor merged into another idea
    (which carries its supports and its discussion from then on)."""
    return idea.withdrawn_at is None and idea.hidden_at is None and idea.merged_into_id is None


@rules.predicate
def within_edit_window(user: Any, idea: Any) -> bool:
    window = timedelta(minutes=settings.IDEA_EDIT_MINUTES)
    return idea.created_at is not None and timezone.now() - idea.created_at <= window


can_contribute_to_idea = _project_rule(Capability.CONTRIBUTE)

rules.add_rule("ideas.can_edit", is_author & is_open & within_edit_window & can_contribute_to_idea)
rules.add_rule("ideas.can_withdraw", is_author & is_open)
rules.add_rule("ideas.can_support", _project_rule(Capability.SUPPORT) & is_open & ~is_author)
rules.add_rule("ideas.can_change_status", can_administer)
# Merging moves people's supports to another idea: for those who run the idea's project.
rules.add_rule("ideas.can_merge", manages_project_of)
# Staff type in ideas and comments gathered on paper, by phone or at a workshop. The project must
# be in a phase that takes contributions, as for everyone else.
rules.add_rule(
    "ideas.can_record_on_behalf",
    can_administer & is_published & phase_permits(Capability.CONTRIBUTE),
)

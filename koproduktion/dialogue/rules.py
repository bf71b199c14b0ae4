"""Who may comment, and who answers officially."""

from __future__ import annotations

import rules

from koproduktion.core.rules import can_administer
from koproduktion.ideas.rules import can_contribute_to_idea, is_open

rules.add_rule("dialogue.can_comment", can_contribute_to_idea & is_open)
# An official answer speaks for the administration of the idea's municipality.
rules.add_rule("dialogue.can_answer_officially", can_contribute_to_idea & is_open & can_administer)


def discussion_permissions(user: object, idea: object) -> dict[str, bool]:
    """What ``user`` may do with the comments of ``idea``, asked once for the whole page.

    ``can_comment`` includes recording on behalf (staff write for others in the same form).
    """
    return {
        "can_comment": rules.test_rule("dialogue.can_comment", user, idea)
        or rules.test_rule("ideas.can_record_on_behalf", user, idea.project),
        "can_report": rules.test_rule("moderation.can_report", user, idea),
        "can_moderate": rules.test_rule("moderation.can_moderate", user, idea),
    }

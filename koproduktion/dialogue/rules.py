"""Who may comment, and who answers officially."""

from __future__ import annotations

import rules

from koproduktion.core.rules import can_administer
from koproduktion.ideas.rules import can_contribute_to_idea, is_open

rules.add_rule("dialogue.can_comment", can_contribute_to_idea & is_open)
# An official answer speaks for the administration of the idea's municipality.
rules.add_rule("dialogue.can_answer_officially", can_contribute_to_idea & is_open & can_administer)

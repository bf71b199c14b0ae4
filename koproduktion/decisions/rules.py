"""Rules of the decision stage. Voting eligibility is a chain of steps (eligibility.py), so that
a refusal names the step that failed; the rule asks the same chain."""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.rules import can_administer, has_role
from koproduktion.projects.rules import can_view_in_town, manages_project_of

from .eligibility import vote_refusal
from .models import ResultsVisibility


@rules.predicate
def may_vote(user: Any, poll: Any) -> bool:
    return vote_refusal(user, poll) is None


@rules.predicate
def results_public(user: Any, poll: Any) -> bool:
    return poll.results_visibility == ResultsVisibility.LIVE or timezone.now() >= poll.closes_at


@rules.predicate
def poll_published(user: Any, poll: Any) -> bool:
    return poll.project.is_published


@rules.predicate
def decision_visible(user: Any, decision: Any) -> bool:
    """A decision about a project is seen with the project (drafts by its administration); one
    about no project with the town."""
    if decision.project_id is not None:
        return can_view_in_town.test(user, decision.project)
    return decision.municipality.is_public or can_administer.test(user, decision)


rules.add_rule("decisions.can_vote", may_vote)


@rules.predicate
def council_records_its_decisions(user: Any, obj: Any) -> bool:
    """The town lets the council's clerk record the council's decisions (object: the town, or a
    project of it)."""
    if obj is None:
        return False
    town = obj if hasattr(obj, "council_records_decisions") else obj.municipality
    return bool(town.council_records_decisions)


rules.add_rule("decisions.can_view_decision", decision_visible)
# Staff see the counts at any time, the public when the poll says so; nobody sees who voted what.
rules.add_rule("decisions.can_see_results", can_administer | (poll_published & results_public))
# (user, project | poll | decision | municipality): polls and decisions about a project are its
# managers' (staff of its departments, the coordination, the town's admins); a decision about
# no project, and the form that records one, are the town's administration's.
rules.add_rule("decisions.can_record", manages_project_of)
# A decision of the council: as above, or the council's clerk where the town allows it.
rules.add_rule(
    "decisions.can_record_council",
    manages_project_of | (has_role(Role.CLERK) & council_records_its_decisions),
)
rules.add_rule("decisions.can_verify", can_administer)

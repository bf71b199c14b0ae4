"""Recorded decisions and the feedback loop: linked ideas take the decision's outcome as their
status, and everyone involved hears what became of the idea."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.permissions import require
from koproduktion.core.readability import readability_refusal
from koproduktion.ideas.models import IdeaStatus, Support
from koproduktion.ideas.services import idea_status_follow_decision, idea_url
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import followers, notify
from koproduktion.projects.services import project_content_changed
from koproduktion.search.written import note_written

from ..models import Body, Decision, DecisionVersion, Outcome
from ..status_reasons import DECISION, decision_reason_params

STATUS_FOR_OUTCOME = {
    Outcome.ADOPTED: IdeaStatus.ACCEPTED,
    Outcome.MODIFIED: IdeaStatus.ACCEPTED,
    Outcome.REJECTED: IdeaStatus.REJECTED,
    Outcome.DEFERRED: IdeaStatus.UNDER_REVIEW,
}
VERSIONED_FIELDS = (
    "title",
    "body",
    "body_name",
    "decided_on",
    "outcome",
    "reasons",
    "plain_summary",
    "minutes_url",
)
# Public texts a municipality's minimum readability applies to (core.readability).
READABLE_FIELDS = ("reasons", "plain_summary")


def decision_url(decision: Decision) -> str:
    return reverse("decisions:detail", args=[decision.municipality.slug, decision.pk])


def _check(
    decision: Decision, ideas: list[Any], polls: list[Any], before: dict[str, Any] | None = None
) -> None:
    """``before``: the decision's fields before an edit; only changed texts meet the town's
    minimum readability then, so an old text does not block correcting a date."""
    if not decision.reasons.strip():
        raise ValidationError({"reasons": _("Ein Beschluss braucht eine öffentliche Begründung.")})
    refusal = readability_refusal(
        decision.municipality.min_readability,
        {
            name: getattr(decision, name)
            for name in READABLE_FIELDS
            if before is None or before.get(name) != getattr(decision, name)
        },
    )
    if refusal is not None:
        raise refusal
    for linked in (*ideas, *polls):
        if linked.municipality_id != decision.municipality_id:
            raise ValidationError(
                _("Verknüpfte Ideen und Abstimmungen müssen zur selben Kommune gehören.")
            )
    decision.full_clean(exclude=["ideas", "polls"])


def _feedback(*, actor: Any, decision: Decision, ideas: list[Any]) -> None:
    """Each linked idea follows the outcome; its people are told what became of it."""
    status = STATUS_FOR_OUTCOME[Outcome(decision.outcome)]
    for idea in ideas:
        if idea.status != status:
            # Body, date and outcome are worded when shown, in the reader's language.
            idea_status_follow_decision(
                actor=actor,
                idea=idea,
                status=status,
                reason=decision.reasons.strip()[:2000],
                reason_code=DECISION,
                reason_params=decision_reason_params(decision),
            )
            continue
        audience = followers(idea=idea) | set(
            Support.objects.filter(idea=idea).values_list("user_id", flat=True)
        )
        if idea.author_id:
            audience.add(idea.author_id)
        notify(
            user_ids=audience,
            municipality_id=idea.municipality_id,
            kind=Kind.DECISION,
            message=lambda idea=idea: (
                _("Beschluss zu „%(title)s“: %(outcome)s")
                % {"title": idea.title, "outcome": decision.get_outcome_display()}
            ),
            url=idea_url(idea),
            idea=idea,
            exclude=[actor.pk],
        )


@transaction.atomic
@audited(gettext_lazy("Beschluss eingetragen"))
def decision_record(
    *,
    actor: Any,
    municipality: Any,
    title: str,
    body: str,
    decided_on: datetime.date,
    outcome: str,
    reasons: str,
    plain_summary: str = "",
    project: Any = None,
    body_name: str = "",
    ideas: list[Any] | None = None,
    polls: list[Any] | None = None,
    minutes: Any = None,
    minutes_url: str = "",
) -> Decision:
    council = body == Body.COUNCIL
    rule = "decisions.can_record_council" if council else "decisions.can_record"
    require(
        rule,
        actor,
        municipality,
        _(
            "Beschlüsse des Rats trägt die Verwaltung ein oder, wo die Kommune es vorsieht, "
            "die Schriftführung des Rats."
        )
        if council
        else _("Beschlüsse trägt die Verwaltung ein."),
    )
    if project is not None:
        require(
            rule,
            actor,
            project,
            _("Beschlüsse zu diesem Vorhaben tragen seine Fachbereiche ein."),
        )
    ideas, polls = list(ideas or []), list(polls or [])
    decision = Decision(
        municipality=municipality,
        project=project,
        title=title.strip(),
        body=body,
        body_name=body_name.strip(),
        decided_on=decided_on,
        outcome=outcome,
        reasons=reasons.strip(),
        plain_summary=plain_summary.strip(),
        minutes_url=minutes_url,
        recorded_by=actor,
    )
    if minutes:
        decision.minutes = minutes
    _check(decision, ideas, polls)
    decision.save()
    decision.ideas.set(ideas)
    decision.polls.set(polls)
    _feedback(actor=actor, decision=decision, ideas=ideas)
    _pages_changed(decision, ideas)
    note_written(actor)
    return decision


def _pages_changed(decision: Decision, ideas: list[Any]) -> None:
    """The decision shows on its project's pages and on every linked idea's page."""
    project_ids = {idea.project_id for idea in ideas}
    if decision.project_id:
        project_ids.add(decision.project_id)
    for project_id in project_ids:
        project_content_changed(project_id=project_id)


@transaction.atomic
@audited(gettext_lazy("Beschluss geändert"), target="decision", reason="change_note")
def decision_update(
    *,
    actor: Any,
    decision: Decision,
    change_note: str,
    ideas: list[Any] | None = None,
    polls: list[Any] | None = None,
    **changes: Any,
) -> Decision:
    """Change a decision; the text before the change stays readable in its version history."""
    require("decisions.can_record", actor, decision, _("Beschlüsse ändert die Verwaltung."))
    if not change_note.strip():
        raise ValidationError({"change_note": _("Bitte sagen Sie, was Sie geändert haben.")})
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    snapshot = {name: str(getattr(decision, name)) for name in VERSIONED_FIELDS}
    snapshot["ideas"] = [i.title for i in decision.ideas.all()]
    DecisionVersion.objects.create(
        municipality_id=decision.municipality_id,
        decision=decision,
        version=decision.version,
        snapshot=snapshot,
        change_note=change_note.strip(),
        edited_by=actor,
    )
    outcome_before = decision.outcome
    ideas_before = set(decision.ideas.values_list("pk", flat=True))
    for name, value in changes.items():
        if name not in VERSIONED_FIELDS and name != "minutes":
            raise TypeError(f"Decision field {name!r} cannot be changed here")
        setattr(decision, name, value.strip() if isinstance(value, str) else value)
    decision.version += 1
    ideas = list(decision.ideas.all()) if ideas is None else list(ideas)
    polls = list(decision.polls.all()) if polls is None else list(polls)
    _check(decision, ideas, polls, before=snapshot)
    decision.save()
    decision.ideas.set(ideas)
    decision.polls.set(polls)
    touched = [i for i in ideas if decision.outcome != outcome_before or i.pk not in ideas_before]
    _feedback(actor=actor, decision=decision, ideas=touched)
    _pages_changed(decision, ideas)
    note_written(actor)
    return decision

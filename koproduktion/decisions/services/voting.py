"""Polls and secret ballots."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.projects.services import project_content_changed

from ..eligibility import vote_refusal
from ..models import Ballot, BallotLine, Participation, Poll, PollKind, PollOption


@transaction.atomic
@audited(gettext_lazy("Abstimmung angelegt"))
def poll_create(
    *,
    actor: Any,
    project: Any,
    title: str,
    kind: PollKind,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    **options: Any,
) -> Poll:
    require("decisions.can_record", actor, project, _("Abstimmungen legt die Verwaltung an."))
    poll = Poll(
        municipality_id=project.municipality_id,
        project=project,
        title=title,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        **options,
    )
    poll.full_clean()
    poll.save()
    project_content_changed(project_id=project.pk)  # the project's page counts its polls
    return poll


@transaction.atomic
@audited(gettext_lazy("Option einer Abstimmung hinzugefügt"))
def option_add(
    *,
    actor: Any,
    poll: Poll,
    title: str = "",
    idea: Any = None,
    cost_cents: int | None = None,
    description: str = "",
) -> PollOption:
    """An option, taken from an idea (title and cost estimate) or written out."""
    require("decisions.can_record", actor, poll, _("Abstimmungen legt die Verwaltung an."))
    if idea is not None and idea.project_id != poll.project_id:
        raise ValidationError(_("Die Idee gehört zu einem anderen Vorhaben."))
    option = PollOption(
        municipality_id=poll.municipality_id,
        poll=poll,
        idea=idea,
        title=title or (idea.title if idea else ""),
        description=description,
        cost_cents=cost_cents
        if cost_cents is not None
        else (idea.cost_estimate_cents if idea else None),
        position=poll.options.count(),
    )
    if poll.kind == PollKind.BUDGET and option.cost_cents is None:
        raise ValidationError(
            {"cost_cents": _("Im Bürgerhaushalt braucht jede Option ihre Kosten.")}
        )
    option.full_clean()
    option.save()
    return option


def _check_choices(poll: Poll, choices: dict[int, int], options: dict[int, PollOption]) -> None:
    """Refuse a ballot that the poll's kind does not allow, with a reason."""
    if not choices:
        raise ValidationError(_("Bitte wählen Sie mindestens eine Option."))
    if unknown := set(choices) - set(options):
        raise ValidationError(
            _("Diese Optionen gehören nicht zur Abstimmung: %(ids)s")
            % {"ids": ", ".join(map(str, sorted(unknown)))}
        )
    values = list(choices.values())
    if any(v < 1 for v in values):
        raise ValidationError(_("Jede gewählte Option braucht einen Wert von mindestens 1."))
    limit = poll.max_choices or len(options)
    if poll.kind == PollKind.APPROVAL:
        if len(choices) > limit:
            raise ValidationError(
                _("Sie können höchstens %(n)d Optionen ankreuzen.") % {"n": limit}
            )
    elif poll.kind == PollKind.RANKING:
        if len(choices) > limit:
            raise ValidationError(_("Sie können höchstens %(n)d Plätze vergeben.") % {"n": limit})
        if sorted(values) != list(range(1, len(values) + 1)):
            raise ValidationError(
                _("Bitte vergeben Sie die Plätze 1, 2, 3 … lückenlos und jeden nur einmal.")
            )
    elif poll.kind == PollKind.DOTS:
        if sum(values) > (poll.points or 0):
            raise ValidationError(
                _("Sie haben %(given)d Punkte verteilt, es gibt aber nur %(points)d.")
                % {"given": sum(values), "points": poll.points}
            )
    elif poll.kind == PollKind.BUDGET:
        cost = sum(options[option_id].cost_cents or 0 for option_id in choices)
        if cost > (poll.budget_cents or 0):
            raise ValidationError(
                _(
                    "Ihre Auswahl kostet %(cost)s, das Budget beträgt %(budget)s. Bitte wählen Sie weniger aus."
                )
                % {"cost": euros(cost), "budget": euros(poll.budget_cents or 0)}
            )


def euros(cents: int) -> str:
    return f"{cents / 100:,.0f} €".replace(",", ".")


@transaction.atomic
def ballot_cast(*, voter: Any, poll: Poll, choices: dict[int, int], ip: str | None = None) -> None:
    """Cast ``voter``'s secret ballot: ``choices`` maps option id → value (1 for a cross, the
    points given, or the rank). Stored as a participation (who) and a ballot (what) that nothing
    links; a second ballot by the same person is refused by the database.
    """
    reason = vote_refusal(voter, poll)
    if reason:
        raise PermissionDenied(reason)
    check_rate(action="vote", user=voter, ip=ip or "")
    options = {o.pk: o for o in poll.options.all()}
    if poll.kind in (PollKind.APPROVAL, PollKind.BUDGET):
        choices = dict.fromkeys(choices, 1)
    _check_choices(poll, choices, options)
    try:
        with transaction.atomic():
            Participation.objects.create(
                municipality_id=poll.municipality_id, poll=poll, voter=voter
            )
    except IntegrityError as twice:
        raise ValidationError(
            _("Sie haben in dieser Abstimmung schon abgestimmt."), code="twice"
        ) from twice
    ballot = Ballot.objects.create(municipality_id=poll.municipality_id, poll=poll)
    BallotLine.objects.bulk_create(
        BallotLine(
            municipality_id=poll.municipality_id,
            ballot=ballot,
            poll=poll,
            option_id=option_id,
            value=value,
        )
        for option_id, value in choices.items()
    )

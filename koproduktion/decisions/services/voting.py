"""Polls and secret ballots."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.formats import euros
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.projects.services import project_content_changed

from .. import sealing
from ..eligibility import vote_refusal
from ..models import Ballot, BallotLine, BallotPool, Participation, Poll, PollKind, PollOption


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
    _check_budget(poll)
    poll.full_clean()
    poll.save()
    project_content_changed(project_id=project.pk)  # the project's page counts its polls
    return poll


# What a ballot depends on: fixed once the first ballot is cast (title, description and the end
# stay editable — a poll may be extended or its text corrected).
FROZEN_SETTINGS = (
    "kind",
    "opens_at",
    "binding",
    "neighbourhood",
    "min_age",
    "max_choices",
    "points",
    "budget_cents",
    "results_visibility",
)
EDITABLE_SETTINGS = ("title", "description", "closes_at", *FROZEN_SETTINGS)


def poll_has_ballots(poll: Poll) -> bool:
    """Whether anyone voted: every ballot comes with its participation, in the pool or counted."""
    return Participation.objects.filter(poll=poll).exists()


def _refuse_if_frozen(poll: Poll, field: str | None = None) -> None:
    """Refuse a change of what ballots depend on once one is cast.

    Takes the pool's lock first: a vote under way finishes before (and is seen), or waits and
    checks its ballot against the changed options (``ballot_cast``).
    """
    _pool_locked(poll)
    if poll_has_ballots(poll):
        reason = _(
            "Es wurde schon abgestimmt: Optionen und Einstellungen der Abstimmung bleiben jetzt, "
            "wie sie sind, damit jede Stimme für dieselbe Wahl zählt."
        )
        raise ValidationError({field: reason} if field else reason, code="frozen")


@transaction.atomic
@audited(gettext_lazy("Abstimmung geändert"), target="poll", fields=EDITABLE_SETTINGS)
def poll_update(*, actor: Any, poll: Poll, **changes: Any) -> Poll:
    """Change a poll's text, end or settings; its settings only until the first ballot."""
    require("decisions.can_record", actor, poll, _("Abstimmungen legt die Verwaltung an."))
    if unknown := set(changes) - set(EDITABLE_SETTINGS):
        raise TypeError(f"Poll fields {sorted(unknown)} cannot be changed here")
    poll = Poll.objects.select_related("project").get(pk=poll.pk)
    changed = [name for name, value in changes.items() if getattr(poll, name) != value]
    frozen = [name for name in changed if name in FROZEN_SETTINGS]
    if frozen:
        _refuse_if_frozen(poll, frozen[0])
    for name, value in changes.items():
        setattr(poll, name, value)
    _check_budget(poll)
    poll.full_clean()
    poll.save()
    project_content_changed(project_id=poll.project_id)
    return poll


def _check_budget(poll: Poll) -> None:
    if poll.kind == PollKind.BUDGET and not (poll.budget_cents or 0) > 0:
        raise ValidationError({"budget_cents": _("Ein Bürgerhaushalt braucht ein Budget.")})
    if poll.kind == PollKind.DOTS and not (poll.points or 0) > 0:
        raise ValidationError({"points": _("Bitte sagen Sie, wie viele Punkte jede Person hat.")})


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
    _refuse_if_frozen(poll)
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
    option.full_clean()  # a budget's option needs a cost (``PollOption.clean``)
    option.save()
    project_content_changed(project_id=poll.project_id)
    return option


@transaction.atomic
@audited(
    gettext_lazy("Option einer Abstimmung geändert"),
    target="option",
    fields=("title", "description", "cost_cents"),
)
def option_update(
    *, actor: Any, option: PollOption, title: str, description: str = "", cost_cents: int | None
) -> PollOption:
    """Change an option, until the first ballot of its poll is cast."""
    poll = option.poll
    require("decisions.can_record", actor, poll, _("Abstimmungen legt die Verwaltung an."))
    _refuse_if_frozen(poll)
    option.title, option.description, option.cost_cents = title, description, cost_cents
    option.full_clean()
    option.save()
    project_content_changed(project_id=poll.project_id)
    return option


@transaction.atomic
@audited(gettext_lazy("Option einer Abstimmung gelöscht"), target="option")
def option_delete(*, actor: Any, option: PollOption) -> None:
    """Delete an option, until the first ballot of its poll is cast (and the database keeps an
    option that is on a counted ballot in any case)."""
    poll = option.poll
    require("decisions.can_record", actor, poll, _("Abstimmungen legt die Verwaltung an."))
    _refuse_if_frozen(poll)
    option.delete()
    project_content_changed(project_id=poll.project_id)


def _check_values(poll: Poll, values: list[int]) -> None:
    """A cross is 1 and nothing else (0 or -5 must not count as one); ranks and points are at
    least 1 (an option left out is not on the ballot)."""
    if poll.kind in (PollKind.APPROVAL, PollKind.BUDGET):
        if any(v != 1 for v in values):
            raise ValidationError(
                _("Ein Kreuz hat den Wert 1; andere Werte gibt es bei dieser Abstimmung nicht.")
            )
    elif any(v < 1 for v in values):
        raise ValidationError(_("Jede gewählte Option braucht einen Wert von mindestens 1."))


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
    _check_values(poll, values)
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


_random = random.SystemRandom()


def _pool_locked(poll: Poll) -> BallotPool:
    """The poll's pool, locked until the transaction ends: the votes of one poll queue here, and
    the count at the close waits for the votes already under way."""
    pool = BallotPool.objects.select_for_update().filter(poll=poll).first()
    if pool is None:
        BallotPool.objects.bulk_create(
            [BallotPool(municipality_id=poll.municipality_id, poll=poll)], ignore_conflicts=True
        )
        pool = BallotPool.objects.select_for_update().get(poll=poll)
    return pool


def _waiting(pool: BallotPool, option_ids: Iterable[int]) -> list[dict[int, int]]:
    """The ballots in the pool, in random order, without options deleted since they were cast."""
    known = set(option_ids)
    ballots = [
        {option_id: value for option_id, value in ballot.items() if option_id in known}
        for ballot in sealing.unseal(poll_id=pool.poll_id, sealed=pool.sealed)
    ]
    _random.shuffle(ballots)
    return ballots


def _reseal(pool: BallotPool, ballots: list[dict[int, int]], option_ids: Iterable[int]) -> None:
    pool.pending = len(ballots)
    pool.sealed = (
        sealing.seal(poll_id=pool.poll_id, option_ids=option_ids, ballots=ballots)
        if ballots
        else b""
    )
    pool.save(update_fields=["pending", "sealed", "final"])


def _count(poll: Poll, ballots: list[dict[int, int]]) -> None:
    """Store ``ballots`` (in random order already) as counted: in that order, with random keys
    and no time, all in one transaction — so neither a key, nor a row's place in the table, nor
    its transaction says whose ballot it is."""
    rows = [Ballot(municipality_id=poll.municipality_id, poll=poll) for _ in ballots]
    Ballot.objects.bulk_create(rows)
    BallotLine.objects.bulk_create(
        BallotLine(
            municipality_id=poll.municipality_id,
            ballot=row,
            poll=poll,
            option_id=option_id,
            value=value,
        )
        for row, ballot in zip(rows, ballots, strict=True)
        for option_id, value in ballot.items()
    )


@transaction.atomic
def ballot_cast(*, voter: Any, poll: Poll, choices: dict[int, int], ip: str | None = None) -> None:
    """Cast ``voter``'s secret ballot: ``choices`` maps option id → value (1 for a cross, the
    points given, or the rank).

    One transaction writes the participation (who; the database refuses a second one) and puts
    the ballot (what) into the poll's sealed pool: the vote is stored whole or not at all, also
    if the process dies midway. When 2 × BALLOT_BATCH_SIZE ballots wait, a random half of them
    is counted, so the pool keeps at least a batch back until the close
    (``ballot_pool_flush``): every change of the live results is a whole batch, also the last.
    """
    reason = vote_refusal(voter, poll)
    if reason:
        raise PermissionDenied(reason)
    check_rate(action="vote", user=voter, ip=ip or "")
    options = {o.pk: o for o in poll.options.all()}
    _check_choices(poll, choices, options)
    # The participation first: a second vote by the same person is refused without waiting
    # for the pool's lock.
    try:
        with transaction.atomic():
            Participation.objects.create(
                municipality_id=poll.municipality_id, poll=poll, voter=voter
            )
    except IntegrityError as twice:
        raise ValidationError(
            _("Sie haben in dieser Abstimmung schon abgestimmt."), code="twice"
        ) from twice
    pool = _pool_locked(poll)
    if pool.final or poll.is_closed():  # closed while this vote waited for the pool
        raise PermissionDenied(_("Die Abstimmung ist beendet."))
    # The options as they are now: an edit that took the pool's lock before this vote, when no
    # ballot was cast yet, may have changed them since they were read above.
    poll.refresh_from_db(fields=FROZEN_SETTINGS)
    options = {o.pk: o for o in poll.options.all()}
    _check_choices(poll, choices, options)
    waiting = _waiting(pool, options)
    waiting.insert(_random.randrange(len(waiting) + 1), dict(choices))
    batch = max(1, settings.BALLOT_BATCH_SIZE)
    if len(waiting) >= 2 * batch:
        _count(poll, waiting[batch:])
        waiting = waiting[:batch]
    _reseal(pool, waiting, options)


@transaction.atomic
def ballot_pool_flush(*, poll: Poll) -> int:
    """Count every ballot still in the pool of a closed poll, and take no vote after; returns
    how many were counted.

    The results of a closed poll call it when first read (and ``manage.py count_closed_polls``
    for a scheduler), so the result at the close includes every ballot. It waits for votes under
    way (the pool's lock); votes after it are refused, also if the poll's end is moved later.
    While the poll runs it counts nothing.
    """
    if not poll.is_closed():
        return 0
    pool = _pool_locked(poll)
    if pool.final:
        return 0
    waiting = _waiting(pool, poll.options.values_list("pk", flat=True))
    _count(poll, waiting)
    pool.final = True
    _reseal(pool, [], ())
    return len(waiting)

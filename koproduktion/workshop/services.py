"""Writes of the workshop screen: an idea, a person at the opinion-map tablet and their votes,
a sign-up for a task, each recorded with the event as its source.

Each checks that the actor runs the event and that the screen is open now, then hands over to
the app that owns the record (ideas, opinions, implementation), whose own rules still apply.
"""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.events.models import Event
from koproduktion.events.selectors import on_site_prefix
from koproduktion.ideas.models import Idea, Source
from koproduktion.ideas.services import idea_create
from koproduktion.implementation.models import Commitment, Shift, Task
from koproduktion.implementation.services import commitment_record_on_site
from koproduktion.opinions.models import OpinionMap, Participant, Statement, StatementVote
from koproduktion.opinions.services import (
    OpinionRefused,
    participant_vote_record,
    participant_without_account,
)
from koproduktion.projects.capabilities import Capability, phase_allows

from .rules import closes_at, opens_at


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def closed_reason(*, event: Event) -> str | None:
    """Why the screen takes nothing now (cancelled, not yet open, closed); ``None`` if open."""
    if event.is_cancelled:
        return _("Die Veranstaltung ist abgesagt; hier wird nichts aufgenommen.")
    now = timezone.now()
    if now < opens_at(event):
        return _(
            "Der Werkstatt-Modus öffnet eine Stunde vor Beginn, am %(date)s. So bleibt, was "
            "vor Ort gesagt wird, bei dieser Veranstaltung."
        ) % {"date": _when(opens_at(event))}
    if now > closes_at(event):
        return _(
            "Der Werkstatt-Modus ist seit %(date)s geschlossen (vier Stunden nach dem Ende), "
            "damit ein liegen gebliebenes Tablet nichts mehr aufnimmt. Was noch fehlt, tragen "
            "Sie bitte über die Seiten des Vorhabens nach."
        ) % {"date": _when(closes_at(event))}
    return None


def _require_open(actor: Any, event: Event) -> None:
    if not rules.test_rule("workshop.can_open", actor, event):
        raise PermissionDenied(
            _("Den Werkstatt-Modus nutzen die, die die Veranstaltung eines Vorhabens betreuen.")
        )
    reason = closed_reason(event=event)
    if reason:
        raise PermissionDenied(reason)


@transaction.atomic
def workshop_idea_record(
    *, actor: Any, event: Event, title: str, text: str, initials: str = "", ip: str = ""
) -> Idea:
    """An idea said at the tablet, for a person without an account; ``initials`` (optional) are
    shown as its byline. ``ideas.idea_create`` logs it (recorded on behalf)."""
    _require_open(actor, event)
    return idea_create(
        actor=actor,
        project=event.project,
        title=title,
        text=text,
        source=Source.WORKSHOP,
        contributor_name=initials,
        source_event=event,
        neighbourhood=event.neighbourhood,
        ip=ip,
    )


def map_refusal(*, event: Event) -> str | None:
    """Why no one can vote at this event's tablet (no map, not the phase); ``None`` if they can."""
    project = event.project
    if project is None or not OpinionMap.objects.filter(project=project).exists():
        return _("Dieses Vorhaben hat kein Meinungsbild.")
    if not phase_allows(project.phase, Capability.GIVE_OPINION):
        return _("Am Meinungsbild kann man nur in der Dialogphase mitwirken.")
    return None


def _require_map(event: Event) -> None:
    reason = map_refusal(event=event)
    if reason:
        raise OpinionRefused(reason)


@transaction.atomic
@audited(gettext_lazy("Werkstatt: neue Person am Meinungsbild"), fields=["external_id"])
def workshop_person_start(*, actor: Any, event: Event) -> Participant:
    """A new anonymous participant for the next person at the tablet, ``event-<id>-<n>``.

    Numbered under the event's row lock, so two tablets at one event never take the same number.
    Whether a new person really stands at the tablet is the facilitator's call: the screen asks
    for a new one only after "Neue Person".
    """
    _require_open(actor, event)
    _require_map(event)
    Event.objects.select_for_update().filter(pk=event.pk).first()
    prefix = on_site_prefix(event)
    number = Participant.objects.filter(
        project_id=event.project_id, external_id__startswith=prefix
    ).count()
    if number >= settings.WORKSHOP_PEOPLE_PER_EVENT:
        raise PermissionDenied(
            _(
                "An den Tablets dieser Veranstaltung haben schon %(count)s Personen mitgemacht, "
                "so viele wie höchstens vorgesehen. Weitere Personen können online mitmachen."
            )
            % {"count": number}
        )
    return participant_without_account(project=event.project, external_id=f"{prefix}{number + 1}")


def is_tablet_participant(*, event: Event, participant: Participant) -> bool:
    return participant.project_id == event.project_id and participant.external_id.startswith(
        on_site_prefix(event)
    )


@transaction.atomic
def workshop_vote_cast(
    *, actor: Any, event: Event, participant: Participant, statement: Statement, value: int
) -> StatementVote:
    """The answer of the person at the tablet. One vote per statement and participant (a second
    answer replaces the first), so a participant casts at most as many votes as there are
    statements. Never logged: it is an opinion."""
    _require_open(actor, event)
    _require_map(event)
    if not is_tablet_participant(event=event, participant=participant):
        raise OpinionRefused(_("Diese Person gehört nicht zu dieser Veranstaltung."))
    if statement.project_id != event.project_id:
        raise OpinionRefused(_("Über diese These kann nicht abgestimmt werden."))
    statement.project = event.project
    return participant_vote_record(participant=participant, statement=statement, value=value)


@transaction.atomic
def workshop_signup(
    *,
    actor: Any,
    event: Event,
    task: Task,
    shift: Shift | None,
    name: str,
    phone: str = "",
    email: str = "",
) -> Commitment:
    """A sign-up for one of the project's tasks (or shifts), written down for someone without an
    account; ``implementation.commitment_record_on_site`` keeps capacity and logs it."""
    _require_open(actor, event)
    return commitment_record_on_site(
        actor=actor, event=event, task=task, shift=shift, name=name, phone=phone, email=email
    )

"""Writes of the implementation plan: milestones, their status and the ideas they carry out."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.core.permissions import require
from koproduktion.ideas.models import Idea
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import followers, notify
from koproduktion.projects.services import project_content_changed

from ..models import Milestone, MilestoneStatus
from .common import overview_url


def _check_responsible(milestone: Milestone) -> None:
    chosen = [
        milestone.responsible_department_id,
        milestone.responsible_organisation_id,
        milestone.responsible_group.strip() or None,
    ]
    if sum(value is not None for value in chosen) > 1:
        raise ValidationError(
            {
                "responsible_group": _(
                    "Bitte nennen Sie genau eine Verantwortliche: einen Fachbereich, eine "
                    "Organisation oder eine Gruppe."
                )
            }
        )


def _apply_status(milestone: Milestone, status: MilestoneStatus, delay_reason: str) -> None:
    milestone.status = MilestoneStatus(status)
    milestone.delay_reason = delay_reason.strip()
    if milestone.status == MilestoneStatus.DELAYED and not milestone.delay_reason:
        raise ValidationError(
            {"delay_reason": _("Bitte sagen Sie öffentlich, warum sich der Meilenstein verzögert.")}
        )
    if milestone.status == MilestoneStatus.DONE:
        milestone.percent_complete = 100
        milestone.completed_on = milestone.completed_on or timezone.localdate()
    else:
        milestone.completed_on = None
        if milestone.percent_complete == 100:
            milestone.percent_complete = 90


def _link_ideas(milestone: Milestone, ideas: Iterable[Idea] | None) -> None:
    if ideas is None:
        return
    ideas = list(ideas)
    if any(idea.project_id != milestone.project_id for idea in ideas):
        raise ValidationError({"ideas": _("Nur Ideen aus diesem Vorhaben lassen sich verknüpfen.")})
    milestone.ideas.set(ideas)


@transaction.atomic
def milestone_create(
    *,
    actor: Any,
    project: Any,
    title: str,
    target_date: datetime.date,
    description: str = "",
    status: MilestoneStatus = MilestoneStatus.PLANNED,
    delay_reason: str = "",
    percent_complete: int = 0,
    weight: int = 1,
    responsible_department: Any = None,
    responsible_organisation: Any = None,
    responsible_group: str = "",
    group_members: Iterable[Any] = (),
    ideas: Iterable[Idea] | None = None,
) -> Milestone:
    require("implementation.can_manage", actor, project, _("Den Plan pflegt die Verwaltung."))
    milestone = Milestone(
        municipality_id=project.municipality_id,
        project=project,
        title=title.strip(),
        description=description.strip(),
        target_date=target_date,
        percent_complete=percent_complete,
        weight=weight,
        responsible_department=responsible_department,
        responsible_organisation=responsible_organisation,
        responsible_group=responsible_group.strip(),
    )
    _apply_status(milestone, status, delay_reason)
    _check_responsible(milestone)
    milestone.full_clean()
    milestone.save()
    milestone.group_members.set(list(group_members))
    _link_ideas(milestone, ideas)
    project_content_changed(project_id=project.pk)
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: Any,
    milestone: Milestone,
    ideas: Iterable[Idea] | None = None,
    group_members: Iterable[Any] | None = None,
    **changes: Any,
) -> Milestone:
    """Change the given fields; a new status that is "delayed" needs ``delay_reason``.

    Followers of the project hear when a milestone is done or delayed: that is what they wait for.
    """
    project = milestone.project
    require("implementation.can_manage", actor, project, _("Den Plan pflegt die Verwaltung."))
    # From the database: a refused earlier attempt may have changed the object in memory.
    old_status = (
        Milestone.objects.select_for_update().values_list("status", flat=True).get(pk=milestone.pk)
    )
    status = changes.pop("status", milestone.status)
    delay_reason = changes.pop("delay_reason", milestone.delay_reason)
    for name, value in changes.items():
        if name not in {
            "title",
            "description",
            "target_date",
            "percent_complete",
            "weight",
            "responsible_department",
            "responsible_organisation",
            "responsible_group",
        }:
            raise TypeError(f"Milestone field {name!r} cannot be changed here")
        setattr(milestone, name, value.strip() if isinstance(value, str) else value)
    _apply_status(milestone, status, delay_reason)
    _check_responsible(milestone)
    milestone.full_clean()
    milestone.save()
    if group_members is not None:
        milestone.group_members.set(list(group_members))
    _link_ideas(milestone, ideas)
    project_content_changed(project_id=project.pk)
    if milestone.status != old_status and milestone.status in {
        MilestoneStatus.DONE,
        MilestoneStatus.DELAYED,
    }:
        message = (
            _("Meilenstein erreicht in „%(project)s“: %(title)s")
            if milestone.status == MilestoneStatus.DONE
            else _("Meilenstein verzögert sich in „%(project)s“: %(title)s")
        )
        notify(
            user_ids=followers(project=project),
            municipality_id=project.municipality_id,
            kind=Kind.STATUS_CHANGE,
            message=message % {"project": project.title, "title": milestone.title},
            url=overview_url(project),
            exclude=[actor.pk],
        )
    return milestone

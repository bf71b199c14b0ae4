"""Writes of the implementation plan: milestones, their status and the ideas they carry out."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import Membership
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


def _check_group_members(milestone: Milestone, members: list[Any]) -> None:
    """Members belong to a resident group, and to the municipality of the milestone."""
    if not members:
        return
    if not milestone.responsible_group:
        raise ValidationError(
            {"group_members": _("Mitglieder gibt es nur bei einer verantwortlichen Gruppe.")}
        )
    ids = {person.pk for person in members}
    with_role = set(
        Membership.objects.filter(
            municipality_id=milestone.municipality_id, user_id__in=ids
        ).values_list("user_id", flat=True)
    )
    if ids - with_role:
        raise ValidationError(
            {
                "group_members": _("Mitglieder einer Gruppe brauchen eine Rolle in %(town)s.")
                % {"town": milestone.project.municipality.name}
            }
        )


def _set_group_members(*, actor: Any, milestone: Milestone, members: list[Any]) -> None:
    """Store the members; the new ones learn that they may now report progress."""
    before = set(milestone.group_members.values_list("pk", flat=True))
    milestone.group_members.set(members)
    added = {person.pk for person in members} - before
    if not added:
        return
    project = milestone.project
    names = {
        "group": milestone.responsible_group,
        "title": milestone.title,
        "project": project.title,
    }
    notify(
        user_ids=added,
        municipality_id=project.municipality_id,
        kind=Kind.IMPLEMENTATION,
        message=lambda: (
            _(
                "Sie gehören jetzt zur Gruppe „%(group)s“ für den Meilenstein „%(title)s“ in "
                "„%(project)s“ und können dafür Fortschrittsberichte schreiben."
            )
            % names
        ),
        url=overview_url(project) + f"#meilenstein-{milestone.pk}",
        exclude=[actor.pk],
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
@audited(gettext_lazy("Meilenstein angelegt"))
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
    members = list(group_members)
    _check_group_members(milestone, members)
    milestone.full_clean()
    milestone.save()
    _set_group_members(actor=actor, milestone=milestone, members=members)
    _link_ideas(milestone, ideas)
    project_content_changed(project_id=project.pk)
    return milestone


@transaction.atomic
@audited(gettext_lazy("Meilenstein geändert"), target="milestone", reason="delay_reason")
def milestone_update(
    *,
    actor: Any,
    milestone: Milestone,
    ideas: Iterable[Idea] | None = None,
    group_members: Iterable[Any] | None = None,
    **changes: Any,
) -> Milestone:
    """Change the given fields; a new status that is "delayed" needs ``delay_reason``.

    ``group_members`` replaces the resident group's members (None keeps them); a milestone whose
    responsible is no longer a resident group has none. New members are told.
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
    members = None if group_members is None else list(group_members)
    if members is not None:
        _check_group_members(milestone, members)
    milestone.full_clean()
    milestone.save()
    if not milestone.responsible_group:
        members = []  # a department or an organisation answers now, or nobody: no group
    if members is not None:
        _set_group_members(actor=actor, milestone=milestone, members=members)
    _link_ideas(milestone, ideas)
    project_content_changed(project_id=project.pk)
    if milestone.status != old_status and milestone.status in {
        MilestoneStatus.DONE,
        MilestoneStatus.DELAYED,
    }:
        done = milestone.status == MilestoneStatus.DONE
        names = {"project": project.title, "title": milestone.title}
        notify(
            user_ids=followers(project=project),
            municipality_id=project.municipality_id,
            kind=Kind.IMPLEMENTATION,
            # Built per recipient, in their language.
            message=lambda: (
                (
                    _("Meilenstein erreicht in „%(project)s“: %(title)s")
                    if done
                    else _("Meilenstein verzögert sich in „%(project)s“: %(title)s")
                )
                % names
            ),
            url=overview_url(project),
            exclude=[actor.pk],
        )
    return milestone


@transaction.atomic
def milestone_leave_group(*, actor: Any, milestone: Milestone) -> None:
    """``actor`` leaves the milestone's resident group, and with it the right to report on it."""
    require(
        "implementation.can_leave_group",
        actor,
        milestone,
        _("Sie gehören nicht zu dieser Gruppe."),
    )
    milestone.group_members.remove(actor)

"""Implementation in the API: milestones, tasks with free places, sponsorship objects as GeoJSON;
committing and cancelling with a session or a personal API key.

Writes go through the same services as the pages, so the same rules, locks and reasons apply.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from koproduktion.api.auth import session_or_token
from koproduktion.api.openapi import Detail
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.ratelimit import client_ip
from koproduktion.core.selectors import municipality_get
from koproduktion.projects.views import project_for_request
from koproduktion.sponsorships.geo import objects_geojson
from koproduktion.sponsorships.selectors import object_list

from . import services
from .models import Commitment, Milestone, MilestoneStatus, Task, Update
from .selectors import free_places, milestone_list, progress_of, task_get, task_list

router = Router(tags=["Umsetzung"])
BASE = "/municipalities/{slug}/projects/{project_slug}"


class MilestoneOut(Schema):
    id: int
    title: str
    target_date: datetime.date
    status: MilestoneStatus
    percent_complete: int
    weight: int
    responsible: str
    delay_reason: str | None
    completed_on: datetime.date | None
    ideas: list[int]

    @staticmethod
    def resolve_delay_reason(milestone: Milestone) -> str | None:
        return milestone.delay_reason if milestone.is_delayed else None

    @staticmethod
    def resolve_ideas(milestone: Milestone) -> list[int]:
        return [idea.pk for idea in milestone.ideas.all()]


class PlanOut(Schema):
    progress: int | None = Field(description="Gewichteter Fortschritt in Prozent; null ohne Plan.")
    milestones: list[MilestoneOut]


class UpdateOut(Schema):
    id: int
    milestone: int | None = Field(None, alias="milestone_id")
    posted_as: str = Field(description="Wer spricht: Fachbereich, Verein, Gruppe.")
    text: str
    created_at: datetime.datetime


class ShiftOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    free: int


class TaskOut(Schema):
    id: int
    title: str
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    date: datetime.date | None
    capacity: int
    free_places: int
    skills: str
    contact_name: str
    milestone: int | None = Field(None, alias="milestone_id")
    shifts: list[ShiftOut]

    @staticmethod
    def resolve_free_places(task: Task) -> int:
        return free_places(task)

    @staticmethod
    def resolve_shifts(task: Task) -> list[Any]:
        return list(task.shifts.all())


class CommitIn(Schema):
    shift: int | None = None
    share_contact: bool = False
    phone: str = Field("", max_length=50)


class CommitmentOut(Schema):
    id: int
    task: int = Field(alias="task_id")
    shift: int | None = Field(None, alias="shift_id")
    share_contact: bool
    created_at: datetime.datetime


@router.get(BASE + "/milestones", response=PlanOut)
def list_milestones(request: HttpRequest, slug: str, project_slug: str) -> dict[str, Any]:
    milestones = list(milestone_list(project=project_for_request(request, slug, project_slug)))
    return {"progress": progress_of(milestones), "milestones": milestones}


@router.get(BASE + "/updates", response=list[UpdateOut])
@paginate(PageNumbers, page_size=50)
def list_updates(request: HttpRequest, slug: str, project_slug: str):
    """The project's progress reports, newest first."""
    project = project_for_request(request, slug, project_slug, related=False)
    return Update.objects.filter(project=project).order_by("-created_at", "-pk")


@router.get(BASE + "/tasks", response=list[TaskOut])
@paginate(PageNumbers, page_size=50)
def list_tasks(request: HttpRequest, slug: str, project_slug: str):
    """Published tasks (drafts too for staff), each with its free places and shifts."""
    return task_list(project=project_for_request(request, slug, project_slug), user=request.user)


@router.get("/municipalities/{slug}/sponsorship-objects.geojson", response=dict)
def sponsorship_objects(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Objects in the register, each with ``sponsored`` true or false."""
    municipality = municipality_get(slug=slug, user=request.user)
    return objects_geojson(object_list(municipality=municipality), municipality=municipality)


@router.post(
    BASE + "/tasks/{task_id}/commitments",
    response={201: CommitmentOut, 429: Detail},
    auth=session_or_token,
)
def commit(request: HttpRequest, slug: str, project_slug: str, task_id: int, data: CommitIn):
    project = project_for_request(request, slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    shift = None
    if data.shift is not None:
        shift = next((s for s in task.shifts.all() if s.pk == data.shift), None)
        if shift is None:
            raise HttpError(400, _("Diese Schicht gehört zu einer anderen Aufgabe."))
    commitment = services.task_commit(
        actor=request.user,
        task=task,
        shift=shift,
        share_contact=data.share_contact,
        phone=data.phone,
        ip=client_ip(request),
    )
    return Status(201, commitment)


@router.delete("/commitments/{commitment_id}", response=CommitmentOut, auth=session_or_token)
def cancel(request: HttpRequest, commitment_id: int) -> Commitment:
    commitment = get_object_or_404(Commitment, pk=commitment_id, user=request.user)
    return services.commitment_cancel(actor=request.user, commitment=commitment)

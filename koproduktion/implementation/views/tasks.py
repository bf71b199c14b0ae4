"""Pages of tasks: the list, a task with its shifts, committing, and the staff's tools."""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.csv_export import csv_response
from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.models import Organisation
from koproduktion.core.page_cache import cached_for_visitors
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.selectors import represented_organisations
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.selectors import project_content_version
from koproduktion.projects.views import project_for_request

from .. import services
from ..forms import CommitForm, ShiftForm, ShiftFormSet, TaskDeleteForm, TaskForm
from ..models import Commitment
from ..selectors import (
    free_places,
    my_commitment_keys,
    my_task_commitments,
    organisations_committed,
    task_get,
    task_list,
    volunteers,
)
from .common import require_page, show_refusal


@cached_for_visitors(project_content_version)
def task_list_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    tasks = list(task_list(project=project, user=request.user))
    for task in tasks:
        task.free = free_places(task)
    return render(
        request,
        "implementation/task_list.html",
        {
            "project": project,
            "municipality": project.municipality,
            "tasks": tasks,
            "mine": {
                task_id for task_id, _shift in my_commitment_keys(user=request.user, tasks=tasks)
            },
            "can_manage": rules.test_rule("implementation.can_manage", request.user, project),
            "refusal": refusal_reason(request.user, project, Capability.TAKE_ON_TASK),
        },
    )


def _represented(user, task) -> QuerySet[Organisation]:
    return represented_organisations(user=user, municipality_id=task.municipality_id)


def _open_shifts(task) -> list:
    now = timezone.now()
    return [shift for shift in task.shifts.all() if shift.starts_at > now and shift.free > 0]


@require_http_methods(["GET", "POST"])
@login_required
def task_create_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    require_page(rules.test_rule("implementation.can_manage", request.user, project))
    form = TaskForm(request.POST or None, project=project)
    shifts = ShiftFormSet(request.POST or None, prefix="schicht")
    if request.method == "POST" and form.is_valid() and shifts.is_valid():
        specs = [
            services.ShiftSpec(row["starts_at"], row["ends_at"], row.get("capacity"))
            for row in shifts.cleaned_data
            if row.get("starts_at") and row.get("ends_at")
        ]
        try:
            task = services.task_create(
                actor=request.user, project=project, shifts=specs, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Die Aufgabe ist angelegt."))
            return redirect(services.task_url(task))
    return render(
        request,
        "implementation/task_form.html",
        {
            "project": project,
            "municipality": project.municipality,
            "form": form,
            "shifts": shifts,
            "map_tile_url": settings.MAP_TILE_URL,
            "area": project.municipality.area,
        },
        status=400 if form.errors or (request.method == "POST" and not shifts.is_valid()) else 200,
    )


def task_detail_view(
    request: HttpRequest,
    municipality_slug: str,
    project_slug: str,
    task_id: int,
    *,
    commit_form: CommitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    user = request.user
    shifts = list(task.shifts.all())
    can_manage = rules.test_rule("implementation.can_manage", user, project)
    can_commit = rules.test_rule("implementation.can_commit", user, task)
    mine = my_task_commitments(user=user, task=task)
    return render(
        request,
        "implementation/task_detail.html",
        {
            "project": project,
            "municipality": project.municipality,
            "task": task,
            "shifts": shifts,
            "free": free_places(task),
            "mine": mine,
            "mine_shift_ids": {c.shift_id for c in mine},
            "organisations": organisations_committed(task=task),
            "can_commit": can_commit,
            "refusal": None
            if can_commit
            else (
                refusal_reason(user, project, Capability.TAKE_ON_TASK)
                or _("Diese Aufgabe ist noch nicht veröffentlicht.")
            ),
            "commit_form": commit_form
            or CommitForm(shifts=_open_shifts(task), organisations=_represented(user, task)),
            "can_manage": can_manage,
            "volunteers": list(volunteers(task=task)) if can_manage else [],
            "shift_form": ShiftForm(prefix="neu") if can_manage else None,
            "delete_form": TaskDeleteForm() if can_manage else None,
            "map_features": _task_feature(task) if task.has_point else None,
            "map_tile_url": settings.MAP_TILE_URL,
            "area": project.municipality.area,
        },
        status=status,
    )


def _task_feature(task) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [task.longitude, task.latitude]},
                "properties": {
                    "title": task.title,
                    "status_label": task.address,
                    "url": services.task_url(task),
                },
            }
        ],
    }


@require_POST
@login_required
def commit_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, task_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    form = CommitForm(
        request.POST, shifts=_open_shifts(task), organisations=_represented(request.user, task)
    )
    if form.is_valid():
        shift_id = form.cleaned_data.get("shift")
        shift = next((s for s in task.shifts.all() if s.pk == shift_id), None)
        try:
            services.task_commit(
                actor=request.user,
                task=task,
                shift=shift,
                share_contact=form.cleaned_data["share_contact"],
                phone=form.cleaned_data["phone"],
                ip=client_ip(request),
                organisation=form.cleaned_data.get("organisation"),
                people=form.cleaned_data.get("people") or 1,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(
                request,
                _("Danke! Ihre Zusage ist gespeichert. Sie finden sie unter „Meine Zusagen“."),
            )
            return redirect(services.task_url(task))
    return task_detail_view(
        request, municipality_slug, project_slug, task_id, commit_form=form, status=400
    )


@require_POST
@login_required
def on_site_cancel_view(
    request: HttpRequest,
    municipality_slug: str,
    project_slug: str,
    task_id: int,
    commitment_id: int,
) -> HttpResponse:
    """Staff cancel a sign-up written down at an event, for a person without an account."""
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    commitment = get_object_or_404(Commitment, task=task, pk=commitment_id)
    try:
        services.commitment_cancel_on_site(actor=request.user, commitment=commitment)
    except (PermissionDenied, ValidationError) as refused:
        show_refusal(request, refused)
    else:
        messages.success(
            request,
            _("Die Zusage von %(name)s ist abgesagt; der Platz ist wieder frei.")
            % {"name": commitment.contributor_name},
        )
    return redirect(services.task_url(task))


@require_POST
@login_required
def publish_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, task_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    publish = request.POST.get("action") != "unpublish"
    try:
        services.task_publish(actor=request.user, task=task, published=publish)
        messages.success(
            request,
            _("Die Aufgabe ist veröffentlicht.")
            if publish
            else _("Die Aufgabe ist wieder ein Entwurf."),
        )
    except PermissionDenied as error:
        show_refusal(request, error)
    return redirect(services.task_url(task))


@require_POST
@login_required
def shift_add_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, task_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    form = ShiftForm(request.POST, prefix="neu")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.shift_add(
                actor=request.user,
                task=task,
                spec=services.ShiftSpec(data["starts_at"], data["ends_at"], data.get("capacity")),
            )
            messages.success(request, _("Die Schicht ist hinzugefügt."))
        except (PermissionDenied, ValidationError) as error:
            show_refusal(request, error)
    else:
        messages.error(request, _("Bitte geben Sie Beginn und Ende der Schicht an."))
    return redirect(services.task_url(task) + "#schichten")


@require_POST
@login_required
def task_delete_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, task_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    form = TaskDeleteForm(request.POST)
    form.is_valid()
    try:
        told = services.task_delete(
            actor=request.user, task=task, reason=form.cleaned_data.get("reason", "")
        )
    except PermissionDenied as error:
        show_refusal(request, error)
        return redirect(services.task_url(task))
    messages.success(
        request,
        ngettext(
            "Die Aufgabe ist gelöscht; %(count)d Person wurde benachrichtigt.",
            "Die Aufgabe ist gelöscht; %(count)d Personen wurden benachrichtigt.",
            told,
        )
        % {"count": told},
    )
    return redirect("implementation:tasks", municipality_slug, project_slug)


@login_required
def volunteers_csv_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, task_id: int
) -> HttpResponse:
    """The task's volunteers for staff: contacts only of people who agreed to share them."""
    project = project_for_request(request, municipality_slug, project_slug)
    task = task_get(project=project, pk=task_id, user=request.user)
    require_page(rules.test_rule("implementation.can_see_volunteers", request.user, task))
    header = [
        _("Name"),
        _("Schicht"),
        _("E-Mail"),
        _("Telefon"),
        _("zugesagt am"),
        _("erledigt"),
        _("Stunden"),
    ]
    rows = [header]
    for commitment in volunteers(task=task):
        shift = commitment.shift
        rows.append(
            [
                commitment.person,
                f"{timezone.localtime(shift.starts_at):%Y-%m-%d %H:%M}" if shift else "",
                commitment.shown_email,
                commitment.shown_phone,
                f"{timezone.localtime(commitment.created_at):%Y-%m-%d}",
                _("ja") if commitment.done_at else "",
                commitment.hours if commitment.hours is not None else "",
            ]
        )
    return csv_response(rows, filename=f"freiwillige-aufgabe-{task.pk}.csv")

"""Pages of the plan: "Was daraus wurde", milestones, progress updates, the town's overview."""

from __future__ import annotations

from collections import defaultdict

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from
from koproduktion.core.links import site_url
from koproduktion.core.page_cache import cached_for_visitors, confirm_page
from koproduktion.core.selectors import municipality_get
from koproduktion.projects.selectors import project_content_version
from koproduktion.projects.views import project_for_request

from .. import services
from ..forms import MilestoneForm, UpdateForm
from ..ical import calendar, task_events
from ..selectors import (
    free_places,
    milestone_get,
    milestone_list,
    my_group_milestone_ids,
    progress_of,
    projects_in_implementation,
    task_list,
    update_list,
)
from .common import require_page, show_refusal

UPDATES_PER_PAGE = 10


@cached_for_visitors(project_content_version, query=("seite",))
def overview_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """What became of it: milestones with their tasks, the progress, the updates."""
    project = project_for_request(request, municipality_slug, project_slug)
    milestones = list(milestone_list(project=project))
    tasks = list(task_list(project=project, user=request.user))
    by_milestone = defaultdict(list)
    for task in tasks:
        task.free = free_places(task)
        by_milestone[task.milestone_id].append(task)
    for milestone in milestones:
        milestone.task_items = by_milestone.get(milestone.pk, [])
    page = Paginator(update_list(project=project), UPDATES_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    confirm_page(request, page)
    return render(
        request,
        "implementation/overview.html",
        {
            "project": project,
            "municipality": project.municipality,
            "milestones": milestones,
            "loose_tasks": by_milestone.get(None, []),
            "my_groups": my_group_milestone_ids(user=request.user, project=project),
            "progress": progress_of(milestones),
            "page": page,
            "can_manage": rules.test_rule("implementation.can_manage", request.user, project),
            "can_post_update": rules.test_rule(
                "implementation.can_post_update", request.user, project
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_form_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, milestone_id: int | None = None
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    require_page(rules.test_rule("implementation.can_manage", request.user, project))
    milestone = milestone_get(project=project, pk=milestone_id) if milestone_id else None
    form = MilestoneForm(request.POST or None, instance=milestone, project=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ideas = data.pop("ideas")
        try:
            if milestone is None:
                services.milestone_create(actor=request.user, project=project, ideas=ideas, **data)
            else:
                milestone.project = project
                services.milestone_update(
                    actor=request.user, milestone=milestone, ideas=ideas, **data
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Der Meilenstein ist gespeichert."))
            return redirect(services.overview_url(project) + "#plan")
    return render(
        request,
        "implementation/milestone_form.html",
        {
            "project": project,
            "municipality": project.municipality,
            "form": form,
            "milestone": milestone,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def milestone_leave_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, milestone_id: int
) -> HttpResponse:
    """A member leaves the milestone's resident group."""
    project = project_for_request(request, municipality_slug, project_slug)
    milestone = milestone_get(project=project, pk=milestone_id)
    try:
        services.milestone_leave_group(actor=request.user, milestone=milestone)
    except PermissionDenied as refused:
        show_refusal(request, refused)
    else:
        messages.success(
            request,
            _("Sie gehören nicht mehr zur Gruppe „%(group)s“.")
            % {"group": milestone.responsible_group},
        )
    return redirect(services.overview_url(project) + f"#meilenstein-{milestone.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def update_create_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    require_page(rules.test_rule("implementation.can_post_update", request.user, project))
    form = UpdateForm(request.POST or None, request.FILES or None, project=project)
    checked = form.readability_checked(request)  # shown, not saved
    if not checked and request.method == "POST" and form.is_valid():
        try:
            update = services.update_post(
                actor=request.user,
                project=project,
                text=form.cleaned_data["text"],
                milestone=form.cleaned_data["milestone"],
                posted_as=form.cleaned_data["posted_as"],
                photos=form.photos(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Der Bericht ist veröffentlicht; alle Folgenden erfahren davon.")
            )
            return redirect(services.overview_url(project) + f"#bericht-{update.pk}")
    return render(
        request,
        "implementation/update_form.html",
        {"project": project, "municipality": project.municipality, "form": form},
        status=400 if form.errors and not checked else 200,
    )


def calendar_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """The public iCal feed of the project's published tasks and shifts."""
    project = project_for_request(request, municipality_slug, project_slug)
    events = []
    for task in task_list(project=project, user=None):
        task.project = project
        events += task_events(task, task.shifts.all(), base_url=site_url(request))
    body = calendar(f"{project.title} – {project.municipality.name}", events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{project.slug}.ics"'
    return response


def town_overview_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Every project of the municipality in implementation: progress, delays and their reasons."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    projects = list(projects_in_implementation(municipality=municipality, user=request.user))
    for project in projects:
        project.progress = (
            round(project.progress_sum / project.weight_sum) if project.weight_sum else None
        )
    return render(
        request,
        "implementation/town_overview.html",
        {"municipality": municipality, "projects": projects},
    )

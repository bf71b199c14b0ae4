"""The workspace's pages: one screen per step of setting up a project (basics → timeline →
documents → polls → preview and publication), and moving it on to its next phase.

Every page asks ``projects.can_manage`` (creating: ``projects.can_create``); every write goes
through the services of ``projects`` and ``decisions``, whose refusals land next to the fields.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import submitted
from koproduktion.core.selectors import municipality_get
from koproduktion.decisions import services as decisions
from koproduktion.decisions.models import Poll, PollOption
from koproduktion.projects import services as projects
from koproduktion.projects.capabilities import PhaseKind, allowed_in, next_phase
from koproduktion.projects.models import Document, Project
from koproduktion.projects.selectors import managed_project_list
from koproduktion.projects.views import project_for_request, project_page_context

from .forms import (
    AdvanceForm,
    DocumentForm,
    OptionForm,
    PollForm,
    ProjectForm,
    TimelineForm,
)

PROJECTS_PER_PAGE = 30
STEPS = (
    ("basics", gettext_lazy("Grunddaten")),
    ("timeline", gettext_lazy("Zeitplan")),
    ("documents", gettext_lazy("Dokumente")),
    ("polls", gettext_lazy("Abstimmungen und Bürgerhaushalt")),
    ("preview", gettext_lazy("Vorschau und Veröffentlichen")),
)


def _town(request: HttpRequest, municipality_slug: str) -> Any:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("projects.can_create", request.user, municipality):
        raise PermissionDenied
    return municipality


def _project(request: HttpRequest, municipality_slug: str, project_slug: str) -> Project:
    """The project, if the person manages it: a 404 where they may not see it, 403 where they
    see it (published) but may not manage it."""
    project = project_for_request(request, municipality_slug, project_slug)
    if not rules.test_rule("projects.can_manage", request.user, project):
        raise PermissionDenied
    return project


def _page(
    request: HttpRequest, template: str, project: Project | None, step: str, **context: Any
) -> HttpResponse:
    forms_with_errors = any(
        getattr(value, "errors", None) for value in context.values() if hasattr(value, "is_bound")
    )
    return render(
        request,
        f"workspace/{template}",
        {
            "project": project,
            "municipality": project.municipality if project else context.get("municipality"),
            "steps": STEPS,
            "step": step,
            **context,
        },
        status=400 if forms_with_errors else 200,
    )


def _step_url(name: str, project: Project) -> str:
    return reverse(f"workspace:{name}", args=[project.municipality.slug, project.slug])


@login_required
def project_list_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """ "Vorhaben verwalten": the projects the person manages, drafts included."""
    municipality = _town(request, municipality_slug)
    page = Paginator(
        managed_project_list(municipality=municipality, user=request.user), PROJECTS_PER_PAGE
    ).get_page(request.GET.get("seite"))
    return render(
        request, "workspace/project_list.html", {"municipality": municipality, "page": page}
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_create_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _town(request, municipality_slug)
    form = ProjectForm(request.POST or None, municipality=municipality, user=request.user)
    created: list[Project] = []
    if request.method == "POST" and form.is_valid():

        def create(**data: Any) -> None:
            created.append(projects.project_create(**data))

        if submitted(
            form, create, actor=request.user, municipality=municipality, **form.cleaned_data
        ):
            project = created[0]
            project.municipality = municipality
            messages.success(request, _("Der Entwurf ist angelegt. Jetzt der Zeitplan."))
            return redirect(_step_url("timeline", project))
    return _page(request, "basics.html", None, "basics", form=form, municipality=municipality)


@require_http_methods(["GET", "POST"])
@login_required
def basics_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    form = ProjectForm(
        request.POST or None, municipality=project.municipality, user=request.user, project=project
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            projects.project_update,
            actor=request.user,
            project=project,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Die Grunddaten sind gespeichert."))
        return redirect(_step_url("timeline", project))
    return _page(request, "basics.html", project, "basics", form=form)


@require_http_methods(["GET", "POST"])
@login_required
def timeline_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    form = TimelineForm(request.POST or None, project=project)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form, projects.timeline_set, actor=request.user, project=project, plan=form.plan()
        )
    ):
        messages.success(request, _("Der Zeitplan ist gespeichert."))
        return redirect(_step_url("documents", project))
    return _page(
        request,
        "timeline.html",
        project,
        "timeline",
        form=form,
        current_allows=allowed_in(project.phase),
    )


@require_http_methods(["GET", "POST"])
@login_required
def documents_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            projects.document_add,
            actor=request.user,
            project=project,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            file=form.cleaned_data["file"],
        )
    ):
        messages.success(request, _("Das Dokument ist hinzugefügt."))
        return redirect(_step_url("documents", project))
    return _page(
        request,
        "documents.html",
        project,
        "documents",
        form=form,
        documents=project.documents.all(),
    )


@require_POST
@login_required
def document_remove_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, document_id: int
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    document = Document.objects.filter(project=project, pk=document_id).first()
    if document is None:
        raise Http404
    document.project = project
    projects.document_remove(actor=request.user, document=document)
    messages.success(request, _("Das Dokument „%(title)s“ ist entfernt.") % {"title": document})
    return redirect(_step_url("documents", project))


@require_http_methods(["GET", "POST"])
@login_required
def polls_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """The project's polls and budgets, and a new one."""
    project = _project(request, municipality_slug, project_slug)
    form = PollForm(request.POST or None, municipality=project.municipality)
    created: list[Poll] = []
    if request.method == "POST" and form.is_valid():

        def create(**data: Any) -> None:
            created.append(decisions.poll_create(**data))

        if submitted(form, create, actor=request.user, project=project, **form.cleaned_data):
            messages.success(request, _("Die Abstimmung ist angelegt. Jetzt die Optionen."))
            return redirect(_poll_url(project, created[0]))
    polls = Poll.objects.filter(project=project).prefetch_related("options").order_by("opens_at")
    return _page(request, "polls.html", project, "polls", form=form, polls=polls)


def _poll_url(project: Project, poll: Poll) -> str:
    return reverse("workspace:poll", args=[project.municipality.slug, project.slug, poll.pk])


def _poll(project: Project, poll_id: int) -> Poll:
    poll = Poll.objects.filter(project=project, pk=poll_id).first()
    if poll is None:
        raise Http404
    poll.project = project
    return poll


def _poll_page(
    request: HttpRequest, project: Project, poll: Poll, form: PollForm, option_form: OptionForm
) -> HttpResponse:
    return _page(
        request,
        "poll.html",
        project,
        "polls",
        poll=poll,
        form=form,
        option_form=option_form,
        options=poll.options.all(),
        frozen=decisions.poll_has_ballots(poll),
    )


@require_http_methods(["GET", "POST"])
@login_required
def poll_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int
) -> HttpResponse:
    """A poll's settings (until the first ballot) and its options."""
    project = _project(request, municipality_slug, project_slug)
    poll = _poll(project, poll_id)
    form = PollForm(request.POST or None, municipality=project.municipality, poll=poll)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form, decisions.poll_update, actor=request.user, poll=poll, **form.cleaned_data
        )
    ):
        messages.success(request, _("Die Abstimmung ist gespeichert."))
        return redirect(_poll_url(project, poll))
    return _poll_page(request, project, poll, form, OptionForm(prefix="option"))


@require_POST
@login_required
def option_add_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    poll = _poll(project, poll_id)
    option_form = OptionForm(request.POST, prefix="option")
    if option_form.is_valid() and submitted(
        option_form, decisions.option_add, actor=request.user, poll=poll, **option_form.cleaned_data
    ):
        messages.success(
            request, _("Die Option „%(title)s“ ist hinzugefügt.") % option_form.cleaned_data
        )
        return redirect(_poll_url(project, poll) + "#optionen")
    form = PollForm(municipality=project.municipality, poll=poll)
    return _poll_page(request, project, poll, form, option_form)


def _option(poll: Poll, option_id: int) -> PollOption:
    option = PollOption.objects.filter(poll=poll, pk=option_id).first()
    if option is None:
        raise Http404
    option.poll = poll
    return option


@require_http_methods(["GET", "POST"])
@login_required
def option_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int, option_id: int
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    poll = _poll(project, poll_id)
    option = _option(poll, option_id)
    form = OptionForm(request.POST or None, option=option)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form, decisions.option_update, actor=request.user, option=option, **form.cleaned_data
        )
    ):
        messages.success(request, _("Die Option ist gespeichert."))
        return redirect(_poll_url(project, poll) + "#optionen")
    return _page(
        request,
        "option.html",
        project,
        "polls",
        poll=poll,
        option=option,
        form=form,
        frozen=decisions.poll_has_ballots(poll),
    )


@require_POST
@login_required
def option_delete_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, poll_id: int, option_id: int
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    poll = _poll(project, poll_id)
    option = _option(poll, option_id)
    try:
        decisions.option_delete(actor=request.user, option=option)
    except ValidationError as refused:  # the poll froze with its first ballot
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Die Option „%(title)s“ ist gelöscht.") % {"title": option})
    return redirect(_poll_url(project, poll) + "#optionen")


@login_required
def preview_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """The public page as it will look, and publishing it (or taking it back)."""
    project = _project(request, municipality_slug, project_slug)
    context = project_page_context(request, project.municipality, project)
    del context["project"], context["municipality"]
    return _page(request, "preview.html", project, "preview", **context)


@require_POST
@login_required
def publish_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    publish = request.POST.get("action") != "unpublish"
    service = projects.project_publish if publish else projects.project_unpublish
    try:
        service(actor=request.user, project=project)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(_step_url("preview", project))
    if publish:
        messages.success(request, _("Das Vorhaben ist veröffentlicht."))
        return redirect("projects:detail", project.municipality.slug, project.slug)
    messages.success(request, _("Das Vorhaben ist wieder ein Entwurf."))
    return redirect(_step_url("preview", project))


@require_http_methods(["GET", "POST"])
@login_required
def advance_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """Move the project on to its next phase, with a public note."""
    project = _project(request, municipality_slug, project_slug)
    following = next_phase(project.phase)
    form = AdvanceForm(request.POST or None)
    if (
        request.method == "POST"
        and following is not None
        and form.is_valid()
        and submitted(
            form,
            projects.project_advance,
            actor=request.user,
            project=project,
            note=form.cleaned_data["note"],
        )
    ):
        messages.success(
            request,
            _("Das Vorhaben ist jetzt in der Phase „%(phase)s“.") % {"phase": following.label},
        )
        return redirect(
            reverse("projects:detail", args=[project.municipality.slug, project.slug]) + "#verlauf"
        )
    return _page(
        request,
        "advance.html",
        project,
        "",
        form=form,
        current=PhaseKind(project.phase),
        following=following,
        current_allows=allowed_in(project.phase),
        following_allows=allowed_in(following) if following else [],
    )

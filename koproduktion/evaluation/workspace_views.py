"""The workspace's evaluation pages: the survey's questions and opening, the report.

Every page asks ``projects.can_manage`` (through the workspace's ``_project``); every write goes
through ``services``, whose refusals land next to the fields.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import refusal_text, submitted
from koproduktion.projects.models import Project
from koproduktion.projects.views import project_for_request

from . import services
from .forms import OpenForm, QuestionForm, ReportForm
from .models import Question, QuestionKind
from .practice import practice_example_of, report_practice_example
from .rules import is_open
from .selectors import (
    question_list,
    report_of,
    report_prefill,
    survey_of,
    survey_results,
    text_answers,
)

TEXTS_SHOWN = 200


def _project(request: HttpRequest, municipality_slug: str, project_slug: str) -> Project:
    """The project, if the person manages it: 404 where they may not see it, 403 where they
    see it but may not manage it (as the workspace's other pages)."""
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    if not rules.test_rule("projects.can_manage", request.user, project):
        raise PermissionDenied
    return project


def _url(name: str, project: Project, *args: int) -> str:
    return reverse(
        f"evaluation_workspace:{name}", args=[project.municipality.slug, project.slug, *args]
    )


def _render(
    request: HttpRequest, template: str, project: Project, **context: object
) -> HttpResponse:
    with_errors = any(
        getattr(value, "errors", None) for value in context.values() if hasattr(value, "is_bound")
    )
    return render(
        request,
        f"evaluation/{template}",
        {"municipality": project.municipality, "project": project, **context},
        status=400 if with_errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def questions_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """The survey's questions in order, a form for another, opening it, and what came back."""
    project = _project(request, municipality_slug, project_slug)
    add_form = QuestionForm(request.POST if "add" in request.POST else None)
    open_form = OpenForm(request.POST if "open" in request.POST else None)
    if (
        add_form.is_bound
        and add_form.is_valid()
        and submitted(
            add_form,
            services.question_add,
            actor=request.user,
            project=project,
            **add_form.cleaned_data,
        )
    ):
        messages.success(request, _("Die Frage ist hinzugefügt."))
        return redirect(_url("questions", project))
    if (
        open_form.is_bound
        and open_form.is_valid()
        and submitted(
            open_form,
            services.survey_open,
            actor=request.user,
            project=project,
            **open_form.cleaned_data,
        )
    ):
        messages.success(request, _("Die Umfrage ist offen."))
        return redirect(_url("questions", project))
    survey = survey_of(project=project)
    questions = question_list(survey=survey)
    if survey is not None and not open_form.is_bound:
        open_form = OpenForm(initial={"closes_on": survey.closes_on})
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            # The latest 200; a survey of a town's project rarely gets more free answers.
            question.text_answers = list(text_answers(question=question)[:TEXTS_SHOWN])
    return _render(
        request,
        "questions.html",
        project,
        survey=survey,
        survey_open=survey is not None and is_open(survey),
        questions=questions,
        add_form=add_form,
        open_form=open_form,
        results=survey_results(survey=survey, questions=questions, for_staff=True),
    )


def _question(project: Project, question_id: int) -> Question:
    question = (
        Question.objects.filter(survey__project=project, pk=question_id)
        .select_related("survey")
        .first()
    )
    if question is None:
        raise Http404
    question.survey.project = project
    return question


@require_http_methods(["GET", "POST"])
@login_required
def question_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, question_id: int
) -> HttpResponse:
    """Change a question's words; its kind stays."""
    project = _project(request, municipality_slug, project_slug)
    question = _question(project, question_id)
    form = QuestionForm(request.POST or None, question=question)
    if (
        form.is_bound
        and form.is_valid()
        and submitted(
            form,
            services.question_update,
            actor=request.user,
            question=question,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Die Frage ist geändert."))
        return redirect(_url("questions", project))
    return _render(request, "question.html", project, question=question, form=form)


@require_POST
@login_required
def question_action_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, question_id: int
) -> HttpResponse:
    """Move a question up or down, or delete it (refused once it has answers)."""
    project = _project(request, municipality_slug, project_slug)
    question = _question(project, question_id)
    action = request.POST.get("action")
    if action in ("up", "down"):
        services.question_move(actor=request.user, question=question, up=action == "up")
    elif action == "delete":
        try:
            services.question_delete(actor=request.user, question=question)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Die Frage ist gelöscht."))
    return redirect(_url("questions", project) + "#fragen")


@require_http_methods(["GET", "POST"])
@login_required
def report_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """The report's form: a new one starts from what the project knows (estimate, dates)."""
    project = _project(request, municipality_slug, project_slug)
    report = report_of(project=project)
    prefill = report_prefill(project=project) if report is None else None
    form = ReportForm(request.POST or None, report=report, prefill=prefill)
    if (
        form.is_bound
        and form.is_valid()
        and submitted(
            form, services.report_save, actor=request.user, project=project, **form.cleaned_data
        )
    ):
        messages.success(request, _("Der Bericht ist gespeichert."))
        return redirect(_url("report", project))
    return _render(
        request,
        "report_form.html",
        project,
        report=report,
        form=form,
        # The library is the coordination's: the step shows to those who may take it.
        may_make_example=report is not None
        and report.is_published
        and rules.test_rule("practice.can_manage", request.user, project.municipality),
        example=practice_example_of(report=report) if report is not None else None,
    )


@require_POST
@login_required
def report_publish_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    report = report_of(project=project)
    if report is None:
        raise Http404
    try:
        services.report_publish(actor=request.user, report=report)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(_url("report", project))
    messages.success(request, _("Der Bericht ist veröffentlicht."))
    return redirect(services.evaluation_url(project) + "#bericht")


@require_POST
@login_required
def report_practice_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    """The published report as a draft practice example; on to its form to check and publish."""
    project = _project(request, municipality_slug, project_slug)
    report = report_of(project=project)
    if report is None:
        raise Http404
    try:
        example = report_practice_example(actor=request.user, report=report)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(_url("report", project))
    except PermissionDenied as refused:
        messages.error(request, refusal_text(refused))
        return redirect(_url("report", project))
    messages.success(
        request,
        _(
            "Das Praxisbeispiel ist als Entwurf angelegt. Bitte prüfen Sie es, teilen Sie die "
            "Erfahrungen in „Was gut funktioniert hat“ und „Was nicht funktioniert hat“ und "
            "veröffentlichen Sie es."
        ),
    )
    return redirect("practice:edit", project.municipality.slug, example.pk)

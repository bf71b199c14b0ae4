"""Pages of the opinion map: vote one statement at a time, propose, moderate, see the result.

Every form works as a plain POST with a redirect; with htmx the voting form swaps in the next
statement instead of reloading the page.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koproduktion.core.htmx import wants_fragment
from koproduktion.core.page_cache import cached_for_visitors
from koproduktion.projects.models import Project
from koproduktion.projects.views import project_for_request

from . import selectors, services
from .forms import ModerationForm, SeedForm, StatementForm, VoteForm
from .models import Statement
from .presentation import MAP_HEIGHT, MAP_WIDTH, results_for


def _voting_context(request: HttpRequest, project: Project) -> dict:
    participant = selectors.participant_of(project=project, user=request.user)
    statement, progress = selectors.next_statement(project=project, participant=participant)
    return {
        "project": project,
        "municipality": project.municipality,
        "statement": statement,
        "progress": progress,
        "refusal": services.participation_refusal(user=request.user, project=project),
    }


def vote_page(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    opinion_map = selectors.opinion_map_get(project=project)
    can_moderate = rules.test_rule("opinions.can_moderate", request.user, project)
    if opinion_map is None and not can_moderate:
        raise Http404
    context = _voting_context(request, project)
    context.update(
        opinion_map=opinion_map,
        can_moderate=can_moderate,
        can_import=rules.test_rule("opinions.can_import", request.user, project),
        propose_form=StatementForm(),
        own_statements=selectors.own_statements(project=project, user=request.user)[:20],
    )
    return render(request, "opinions/vote.html", context)


@require_POST
def vote_submit(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    form = VoteForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Bitte wählen Sie eine der drei Antworten.")
    else:
        statement = selectors.statement_get(project=project, pk=form.cleaned_data["statement"])
        try:
            services.vote_cast(actor=request.user, statement=statement, value=form.value())
        except services.OpinionRefused as refused:
            error = str(refused)
    if wants_fragment(request):
        context = _voting_context(request, project)
        context["error"] = error
        # 200 even for a refusal: htmx swaps only successful responses, and the fragment says why.
        return render(request, "opinions/_statement.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Danke, Ihre Stimme ist gespeichert."))
    return redirect("opinions:vote", project.municipality.slug, project.slug)


@require_POST
def statement_submit(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement = services.statement_propose(
                actor=request.user, project=project, text=form.cleaned_data["text"]
            )
        except services.OpinionRefused as refused:
            messages.error(request, str(refused))
        except ValidationError as invalid:
            form.add_error("text", invalid)
        else:
            if statement.status == Statement.Status.PENDING:
                messages.success(
                    request, _("Danke! Ihre These erscheint, sobald die Moderation sie freigibt.")
                )
            else:
                messages.success(request, _("Ihre These ist freigegeben."))
            return redirect("opinions:vote", project.municipality.slug, project.slug)
    if form.errors:
        context = _voting_context(request, project)
        context.update(
            opinion_map=selectors.opinion_map_get(project=project),
            can_moderate=rules.test_rule("opinions.can_moderate", request.user, project),
            propose_form=form,
            own_statements=selectors.own_statements(project=project, user=request.user)[:20],
        )
        return render(request, "opinions/vote.html", context, status=400)
    return redirect("opinions:vote", project.municipality.slug, project.slug)


@cached_for_visitors(selectors.opinion_map_content_version)
def results_page(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    opinion_map = selectors.opinion_map_get(project=project)
    if opinion_map is None:
        raise Http404
    participant = selectors.participant_of(project=project, user=request.user)
    view = results_for(
        opinion_map=opinion_map,
        # What the texts shown depend on: moderation raises the project's version.
        version=(project.content_version, project.updated_at),
        participant_id=participant.pk if participant else None,
    )
    return render(
        request,
        "opinions/results.html",
        {
            "project": project,
            "municipality": project.municipality,
            "opinion_map": opinion_map,
            "results": view,
            "map_width": MAP_WIDTH,
            "map_height": MAP_HEIGHT,
            "update_pending": selectors.opinion_map_update_pending(opinion_map=opinion_map),
            "can_export": rules.test_rule("opinions.can_export", request.user, project),
        },
    )


def _require_moderator(request: HttpRequest, project: Project) -> None:
    if not rules.test_rule("opinions.can_moderate", request.user, project):
        raise Http404


def moderation_page(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    _require_moderator(request, project)
    seed_form = SeedForm()
    if request.method == "POST":
        seed_form = SeedForm(request.POST)
        if seed_form.is_valid():
            try:
                services.statement_seed(
                    actor=request.user,
                    project=project,
                    text=seed_form.cleaned_data["text"],
                    is_meta=seed_form.cleaned_data["is_meta"],
                )
            except ValidationError as invalid:
                seed_form.add_error("text", invalid)
            else:
                messages.success(request, _("Die These ist freigegeben."))
                return redirect("opinions:moderation", project.municipality.slug, project.slug)
    return render(
        request,
        "opinions/moderation.html",
        {
            "project": project,
            "municipality": project.municipality,
            "pending": selectors.pending_statements(project=project),
            "seed_form": seed_form,
            "can_import": rules.test_rule("opinions.can_import", request.user, project),
        },
        status=400 if seed_form.errors else 200,
    )


@require_POST
def moderation_submit(
    request: HttpRequest, municipality_slug: str, project_slug: str, statement_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    _require_moderator(request, project)
    statement = Statement.objects.filter(
        project=project, municipality_id=project.municipality_id, pk=statement_id
    ).first()
    if statement is None:
        raise Http404
    statement.project = project
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie „Freigeben“ oder „Ablehnen“."))
    else:
        try:
            services.statement_moderate(
                actor=request.user,
                statement=statement,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
                is_meta=form.cleaned_data["is_meta"],
            )
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
        else:
            messages.success(request, _("Die Entscheidung ist gespeichert."))
    return redirect("opinions:moderation", project.municipality.slug, project.slug)

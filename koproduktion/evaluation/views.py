"""The project's evaluation page: the survey for residents, its results, the published report.

Personal (the person's own answers and whether they may answer), so not cached for visitors;
it costs a fixed number of queries however many answers there are (the results are one
aggregating query, the counter is kept on the survey).
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koproduktion.core.forms import submitted
from koproduktion.projects.views import project_for_request

from . import services
from .forms import AnswerForm
from .models import RESULTS_MINIMUM
from .rules import is_open
from .selectors import own_answers, question_list, report_of, survey_of, survey_results


@require_http_methods(["GET", "POST"])
def section_view(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    """GET: the survey (when open), its results and the report; POST: the person's answer."""
    project = project_for_request(request, municipality_slug, project_slug, related=False)
    user = request.user
    survey = survey_of(project=project)
    questions = question_list(survey=survey)
    can_manage = rules.test_rule("projects.can_manage", user, project)
    refusal = services.answer_refusal(user=user, survey=survey, project=project)
    given = own_answers(survey=survey, user=user)
    form = AnswerForm(request.POST or None, questions=questions, given=given)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid() and submitted(
            form, services.survey_answer, actor=user, project=project, values=form.values()
        ):
            messages.success(request, _("Danke! Ihre Antwort ist gespeichert."))
            return redirect(services.evaluation_url(project) + "#umfrage")
    survey_open = survey is not None and is_open(survey)
    report = report_of(project=project)
    if report is not None and not (report.is_published or can_manage):
        report = None
    return render(
        request,
        "evaluation/section.html",
        {
            "municipality": project.municipality,
            "project": project,
            "survey": survey,
            "survey_open": survey_open,
            "form": form if survey_open and not refusal else None,
            "refusal": refusal if survey_open else None,
            "answered": bool(given),
            "results": survey_results(survey=survey, questions=questions, for_staff=can_manage),
            "minimum": RESULTS_MINIMUM,
            "report": report,
            "can_manage": can_manage,
        },
        status=400 if form.is_bound and form.errors else 200,
    )

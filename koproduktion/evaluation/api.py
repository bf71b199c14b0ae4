"""A project's evaluation in the API: the survey's results and the published report (read for
everyone), and a person's answer (with a session or API key, through the page's service).

The results follow the page: nothing below ``RESULTS_MINIMUM`` answers, and no free texts.
"""

import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from koproduktion.api.auth import session_or_token
from koproduktion.projects.views import project_for_request

from . import services
from .models import QuestionKind
from .rules import is_open
from .selectors import question_list, report_of, survey_of, survey_results

router = Router(tags=["Auswertung"])
BASE = "/municipalities/{slug}/projects/{project_slug}/evaluation"


class CountOut(Schema):
    value: str = Field(description="1 … 5, oder ja / nein.")
    label: str
    count: int
    percent: int


class QuestionOut(Schema):
    id: int
    kind: QuestionKind
    text: str
    low_label: str
    high_label: str
    answered: int = Field(description="Wie viele diese Frage beantwortet haben.")
    average: float | None = Field(None, description="Durchschnitt einer Bewertung.")
    counts: list[CountOut]


class SurveyOut(Schema):
    open: bool
    closes_on: datetime.date | None
    answers: int
    results_shown: bool = Field(
        description="Ergebnisse erscheinen ab 5 Antworten; vorher ist ``questions`` ohne Zahlen."
    )
    questions: list[QuestionOut]


class ReportOut(Schema):
    planned: str
    outcome: str
    lessons: str
    cost_estimate_cents: int | None
    cost_actual_cents: int | None
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    kept_start: datetime.date | None
    kept_end: datetime.date | None
    contact: str
    published_at: datetime.datetime
    edited_at: datetime.datetime | None


class AnswerIn(Schema):
    question: int = Field(ge=1, le=2**31 - 1)
    value: int | bool | str | None = Field(
        None, description="Bewertung 1–5, ja/nein (true/false) oder freier Text."
    )


class SurveyAnswerIn(Schema):
    answers: list[AnswerIn] = Field(max_length=50)


class AnsweredOut(Schema):
    answered: bool


@router.get(BASE + "/survey", response=SurveyOut)
def get_survey(request: HttpRequest, slug: str, project_slug: str) -> dict:
    project = project_for_request(request, slug, project_slug, related=False)
    survey = survey_of(project=project)
    if survey is None or survey.opened_at is None:
        raise Http404
    questions = question_list(survey=survey)
    results = survey_results(survey=survey, questions=questions, for_staff=False)
    by_question = {item.question.pk: item for item in results.questions}
    return {
        "open": is_open(survey),
        "closes_on": survey.closes_on,
        "answers": results.answer_count,
        "results_shown": results.shown,
        "questions": [
            {
                "id": question.pk,
                "kind": question.kind,
                "text": question.text,
                "low_label": question.low_label,
                "high_label": question.high_label,
                "answered": by_question[question.pk].answered if results.shown else 0,
                "average": by_question[question.pk].average if results.shown else None,
                "counts": [vars(bar) for bar in by_question[question.pk].bars]
                if results.shown
                else [],
            }
            for question in questions
        ],
    }


@router.get(BASE + "/report", response=ReportOut)
def get_report(request: HttpRequest, slug: str, project_slug: str):
    project = project_for_request(request, slug, project_slug, related=False)
    report = report_of(project=project)
    if report is None or not report.is_published:
        raise Http404
    return report


@router.post(BASE + "/survey/answers", response={201: AnsweredOut}, auth=session_or_token)
def answer_survey(request: HttpRequest, slug: str, project_slug: str, data: SurveyAnswerIn):
    """Answer the survey; a second answer replaces the first. Refusals say why (403 outside
    the evaluation phase or for a blocked account, 400 for a value out of range)."""
    project = project_for_request(request, slug, project_slug, related=False)
    values = {item.question: item.value for item in data.answers}
    if len(values) != len(data.answers):
        raise HttpError(400, _("Jede Frage bitte nur einmal beantworten."))
    for key, value in values.items():
        if isinstance(value, bool):
            values[key] = "ja" if value else "nein"
    services.survey_answer(actor=request.user, project=project, values=values)
    return Status(201, {"answered": True})

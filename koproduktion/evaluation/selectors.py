"""Reads of the evaluation: the survey, its results, the report and who hears of them.

Every read starts from a project the caller already checked (``project_for_request`` scopes
it by the municipality); nothing here looks a project up by id alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.decisions.models import Participation
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea, Support
from koproduktion.implementation.models import Milestone
from koproduktion.notifications.models import Follow
from koproduktion.opinions.models import Participant
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Phase, PhaseChange, Project

from .models import (
    RATING_MAX,
    RATING_MIN,
    RESULTS_MINIMUM,
    EvaluationReport,
    Question,
    QuestionAnswer,
    QuestionKind,
    Survey,
    SurveyAnswer,
)


def survey_of(*, project: Project) -> Survey | None:
    survey = Survey.objects.filter(project=project).first()
    if survey is not None:
        survey.project = project
    return survey


def question_list(*, survey: Survey | None) -> list[Question]:
    if survey is None:
        return []
    return list(Question.objects.filter(survey=survey))


def own_answers(*, survey: Survey | None, user: Any) -> dict[int, QuestionAnswer]:
    """The person's answers by question id (empty for visitors and people who did not answer)."""
    if survey is None or not getattr(user, "is_authenticated", False):
        return {}
    return {
        item.question_id: item
        for item in QuestionAnswer.objects.filter(answer__survey=survey, answer__user=user)
    }


@dataclass
class Bar:
    value: str  # "1" … "5", "ja", "nein"
    label: str
    count: int
    percent: int

    @property
    def twentieths(self) -> int:
        """The bar's length in twentieths (the CSS classes ``bar-0`` … ``bar-20``)."""
        return round(self.percent / 5)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None


@dataclass
class Results:
    answer_count: int
    shown: bool  # false below RESULTS_MINIMUM (staff see them anyway)
    questions: list[QuestionResult]


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def survey_results(*, survey: Survey | None, questions: list[Question], for_staff: bool) -> Results:
    """The distribution of each rating and yes/no question, from one aggregating query.

    Free-text answers are not part of the results: staff read them (``text_answers``).
    """
    count = survey.answer_count if survey else 0
    shown = for_staff or count >= RESULTS_MINIMUM
    results = [QuestionResult(question=question) for question in questions]
    if survey is None or not shown or not questions:
        return Results(answer_count=count, shown=shown, questions=results if shown else [])
    ratings = {
        f"r{value}": Count("pk", filter=Q(rating=value))
        for value in range(RATING_MIN, RATING_MAX + 1)
    }
    rows = {
        row["question_id"]: row
        for row in QuestionAnswer.objects.filter(question__survey=survey)
        .values("question_id")
        .annotate(
            **ratings,
            yes_count=Count("pk", filter=Q(yes=True)),
            no_count=Count("pk", filter=Q(yes=False)),
            texts=Count("pk", filter=~Q(text="")),
        )
        .order_by()
    }
    for result in results:
        row = rows.get(result.question.pk)
        if row is None:
            continue
        kind = result.question.kind
        if kind == QuestionKind.RATING:
            counts = [(value, row[f"r{value}"]) for value in range(RATING_MIN, RATING_MAX + 1)]
            result.answered = sum(number for _value, number in counts)
            result.bars = [
                Bar(
                    str(value),
                    rating_label(result.question, value),
                    number,
                    _percent(number, result.answered),
                )
                for value, number in counts
            ]
            if result.answered:
                result.average = sum(v * n for v, n in counts) / result.answered
        elif kind == QuestionKind.YES_NO:
            result.answered = row["yes_count"] + row["no_count"]
            result.bars = [
                Bar("ja", _("Ja"), row["yes_count"], _percent(row["yes_count"], result.answered)),
                Bar("nein", _("Nein"), row["no_count"], _percent(row["no_count"], result.answered)),
            ]
        else:
            result.answered = row["texts"]
    return Results(answer_count=count, shown=True, questions=results)


def rating_label(question: Question, value: int) -> str:
    """``value`` of a rating in words where staff gave them: "1 – gar nicht zufrieden"."""
    if value == RATING_MIN and question.low_label:
        return f"{value} – {question.low_label}"
    if value == RATING_MAX and question.high_label:
        return f"{value} – {question.high_label}"
    return str(value)


def text_answers(*, question: Question) -> QuerySet[QuestionAnswer]:
    """The free-text answers to ``question``, newest first, without who wrote them."""
    return (
        QuestionAnswer.objects.filter(question=question)
        .exclude(text="")
        .only("text", "answer__updated_at")
        .select_related("answer")
        .order_by("-answer__updated_at", "-pk")
    )


def report_of(*, project: Project) -> EvaluationReport | None:
    report = EvaluationReport.objects.filter(project=project).first()
    if report is not None:
        report.project = project
    return report


def recipients(*, project: Project, survey: Survey | None = None) -> QuerySet:
    """Ids of the people who contributed to ``project`` (ideas, comments, supports, opinion
    votes, poll participation, survey answers) or follow it: one query, a UNION of id lists."""
    ids = Follow.objects.filter(project=project).values_list("user_id", flat=True).order_by()
    parts = [
        Idea.objects.filter(project=project, author__isnull=False).values_list("author_id"),
        Comment.objects.filter(project=project, author__isnull=False).values_list("author_id"),
        Support.objects.filter(idea__project=project).values_list("user_id"),
        Participant.objects.filter(project=project, user__isnull=False).values_list("user_id"),
        Participation.objects.filter(poll__project=project).values_list("voter_id"),
    ]
    if survey is not None:
        parts.append(SurveyAnswer.objects.filter(survey=survey).values_list("user_id"))
    return ids.union(*(part.order_by() for part in parts))


@dataclass
class Prefill:
    cost_estimate_cents: int | None = None
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    kept_start: datetime.date | None = None
    kept_end: datetime.date | None = None


def report_prefill(*, project: Project) -> Prefill:
    """What the project already knows for a new report: the estimate from its basics, the
    planned dates from its implementation phase and milestones, the kept ones from the phase
    changes and the milestones' completion."""
    phase = Phase.objects.filter(project=project, kind=PhaseKind.IMPLEMENTATION).first()
    milestones = Milestone.objects.filter(project=project).aggregate(
        target=Max("target_date"), first_done=Min("completed_on"), done=Max("completed_on")
    )
    changes = dict(
        PhaseChange.objects.filter(
            project=project, to_phase__in=[PhaseKind.IMPLEMENTATION, PhaseKind.EVALUATION]
        ).values_list("to_phase", "changed_at")
    )
    started = changes.get(PhaseKind.IMPLEMENTATION)
    ended = changes.get(PhaseKind.EVALUATION)
    return Prefill(
        cost_estimate_cents=project.cost_estimate_cents,
        planned_start=phase.starts_on if phase else None,
        planned_end=milestones["target"] or (phase.ends_on if phase else None),
        kept_start=timezone.localdate(started) if started else milestones["first_done"],
        kept_end=milestones["done"] or (timezone.localdate(ended) if ended else None),
    )

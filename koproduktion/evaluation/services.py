"""Writes of the evaluation: questions, opening the survey, answers, the report.

Questions and the report are the administration's (``evaluation.can_manage``) and logged;
an answer is a resident's own and is not. Publishing the report and opening the survey tell
the project's contributors and followers (``_tell``), through the notifications' ``notify``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited, lookup
from koproduktion.core.markdown import render_markdown
from koproduktion.core.permissions import require
from koproduktion.core.services import municipality_content_changed
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.capabilities import Capability, phase_allows
from koproduktion.projects.models import Project
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.services import project_content_changed

from .models import (
    RATING_MAX,
    RATING_MIN,
    TEXT_ANSWER_MAX,
    EvaluationReport,
    Question,
    QuestionAnswer,
    QuestionKind,
    ReportStatus,
    Survey,
    SurveyAnswer,
)
from .rules import is_open
from .selectors import recipients

if TYPE_CHECKING:
    import datetime

    from koproduktion.accounts.models import User

MANAGE_REFUSAL = gettext_lazy(
    "Die Auswertung eines Vorhabens schreiben die, die das Vorhaben verwalten."
)
QUESTION_FIELDS = ("kind", "text", "low_label", "high_label", "position")
REPORT_FIELDS = (
    "planned",
    "outcome",
    "lessons",
    "cost_estimate_cents",
    "cost_actual_cents",
    "planned_start",
    "planned_end",
    "kept_start",
    "kept_end",
    "contact",
)


def evaluation_url(project: Project) -> str:
    return reverse("evaluation:section", args=[project.municipality.slug, project.slug])


def _require_manage(actor: Any, project: Project) -> None:
    require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))


# --- Questions ------------------------------------------------------------------------------


def _check_question(question: Question) -> None:
    if question.kind != QuestionKind.RATING and (question.low_label or question.high_label):
        raise ValidationError(
            {"low_label": _("Bedeutungen von 1 und 5 gibt es nur bei einer Bewertung.")}
        )
    question.full_clean()


@transaction.atomic
@audited(gettext_lazy("Frage der Auswertung hinzugefügt"), fields=QUESTION_FIELDS)
def question_add(
    *,
    actor: User,
    project: Project,
    kind: QuestionKind | str,
    text: str,
    low_label: str = "",
    high_label: str = "",
) -> Question:
    """A question at the end of the project's survey (made with its first question)."""
    _require_manage(actor, project)
    survey, _created = Survey.objects.get_or_create(
        project=project, defaults={"municipality_id": project.municipality_id}
    )
    last = survey.questions.aggregate(last=Max("position"))["last"]
    question = Question(
        municipality_id=project.municipality_id,
        survey=survey,
        kind=kind,
        text=text.strip(),
        low_label=low_label.strip(),
        high_label=high_label.strip(),
        position=0 if last is None else last + 1,
    )
    _check_question(question)
    question.save()
    project_content_changed(project_id=project.pk)
    return question


@transaction.atomic
@audited(gettext_lazy("Frage der Auswertung geändert"), target="question", fields=QUESTION_FIELDS)
def question_update(
    *, actor: User, question: Question, text: str, low_label: str = "", high_label: str = ""
) -> Question:
    """New words for a question; its kind stays (answers already given mean what they meant)."""
    _require_manage(actor, question.survey.project)
    question.text = text.strip()
    question.low_label = low_label.strip()
    question.high_label = high_label.strip()
    _check_question(question)
    question.save()
    project_content_changed(project_id=question.survey.project_id)
    return question


@transaction.atomic
@audited(gettext_lazy("Frage der Auswertung gelöscht"), target="question", fields=QUESTION_FIELDS)
def question_delete(*, actor: User, question: Question) -> None:
    """Remove a question nobody answered yet; answered ones stay, so results stay complete."""
    _require_manage(actor, question.survey.project)
    if QuestionAnswer.objects.filter(question=question).exists():
        raise ValidationError(
            _(
                "Auf diese Frage gibt es schon Antworten. Sie bleibt, damit das Ergebnis "
                "vollständig bleibt; ändern Sie höchstens ihren Wortlaut."
            )
        )
    project_id = question.survey.project_id
    question.delete()
    project_content_changed(project_id=project_id)


@transaction.atomic
@audited(gettext_lazy("Fragen der Auswertung umsortiert"), target="question", fields=("position",))
def question_move(*, actor: User, question: Question, up: bool) -> None:
    """Swap ``question`` with its neighbour above (``up``) or below; at an end nothing moves."""
    _require_manage(actor, question.survey.project)
    questions = list(Question.objects.select_for_update().filter(survey_id=question.survey_id))
    index = next(i for i, other in enumerate(questions) if other.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, item in enumerate(questions):
        item.position = position
    Question.objects.bulk_update(questions, ["position"])
    question.position = other
    project_content_changed(project_id=question.survey.project_id)


# --- The survey -----------------------------------------------------------------------------


@transaction.atomic
@audited(
    gettext_lazy("Umfrage der Auswertung geöffnet"),
    target=lookup(Survey, {"project": "project"}),
    fields=("opened_at", "closes_on"),
)
def survey_open(*, actor: User, project: Project, closes_on: datetime.date | None = None) -> Survey:
    """Open the survey of a project in the evaluation phase; its contributors and followers are
    told. Called again on an open survey, it only moves the last day (nobody is told again)."""
    _require_manage(actor, project)
    survey = Survey.objects.select_for_update().filter(project=project).first()
    if survey is None or not survey.questions.exists():
        raise ValidationError(_("Bitte legen Sie zuerst mindestens eine Frage an."))
    if not phase_allows(project.phase, Capability.GIVE_FEEDBACK):
        raise ValidationError(
            _("Die Umfrage öffnet erst, wenn das Vorhaben in der Phase „Auswertung“ ist.")
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError(
            {"closes_on": _("Der letzte Tag darf nicht in der Vergangenheit liegen.")}
        )
    first_time = survey.opened_at is None
    survey.closes_on = closes_on
    if first_time:
        survey.opened_at = timezone.now()
    survey.save(update_fields=["opened_at", "closes_on"])
    project_content_changed(project_id=project.pk)
    # The town's project lists show the survey as the project's next step.
    municipality_content_changed(municipality_id=project.municipality_id)
    if first_time:
        _tell(
            project,
            survey=None,
            exclude=actor.pk,
            message=lambda: (
                _("„%(title)s“: Wie ist es gelaufen? Die Umfrage zur Auswertung ist offen.")
                % {"title": project.title}
            ),
        )
    return survey


def answer_refusal(*, user: Any, survey: Survey | None, project: Project) -> str | None:
    """Why ``user`` may not answer now, in words; None when they may."""
    if survey is None or survey.opened_at is None:
        return _("Die Umfrage ist noch nicht geöffnet.")
    survey.project = project
    reason = refusal_reason(user, project, Capability.GIVE_FEEDBACK)
    if reason:
        return reason
    if not is_open(survey):
        return _("Die Umfrage ist beendet.")
    return None


def _clean_value(question: Question, value: Any) -> dict[str, Any]:
    """The columns of one answer, or a ValidationError naming the question's field."""
    name = f"question_{question.pk}"
    if value in (None, ""):
        return {}
    if question.kind == QuestionKind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not RATING_MIN <= rating <= RATING_MAX:
            raise ValidationError({name: _("Bitte wählen Sie einen Wert von 1 bis 5.")})
        return {"rating": rating}
    if question.kind == QuestionKind.YES_NO:
        if value not in (True, False, "ja", "nein"):
            raise ValidationError({name: _("Bitte antworten Sie mit Ja oder Nein.")})
        return {"yes": value in (True, "ja")}
    text = str(value).strip()
    if len(text) > TEXT_ANSWER_MAX:
        raise ValidationError(
            {
                name: _("Bitte fassen Sie sich kürzer (höchstens %(max)d Zeichen).")
                % {"max": TEXT_ANSWER_MAX}
            }
        )
    return {"text": text} if text else {}


@transaction.atomic
def survey_answer(*, actor: Any, project: Project, values: Mapping[int, Any]) -> SurveyAnswer:
    """Answer the project's survey; ``values`` maps question ids to a rating (1–5), "ja"/"nein"
    (or a bool) or a short text. A second answer replaces the first: one per person, and a
    person may change their mind while the survey is open. Questions left out stay unanswered.
    """
    survey = Survey.objects.filter(project=project).first()
    reason = answer_refusal(user=actor, survey=survey, project=project)
    if reason:
        raise PermissionDenied(reason)
    questions = {question.pk: question for question in Question.objects.filter(survey=survey)}
    unknown = set(values) - set(questions)
    if unknown:
        raise ValidationError(_("Diese Frage gehört nicht zu dieser Umfrage."))
    columns: dict[int, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for pk, value in values.items():
        try:
            cleaned = _clean_value(questions[pk], value)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if cleaned:
            columns[pk] = cleaned
    if errors:
        raise ValidationError(errors)
    if not columns:
        raise ValidationError(_("Bitte beantworten Sie mindestens eine Frage."))
    # The person's earlier answer, locked: two submits of one person queue up here.
    answer = SurveyAnswer.objects.select_for_update().filter(survey=survey, user=actor).first()
    created = False
    if answer is None:
        try:
            with transaction.atomic():
                answer = SurveyAnswer.objects.create(
                    survey=survey, user=actor, municipality_id=project.municipality_id
                )
        except IntegrityError:  # the same person's parallel request came first
            answer = SurveyAnswer.objects.select_for_update().get(survey=survey, user=actor)
        else:
            Survey.objects.filter(pk=survey.pk).update(answer_count=F("answer_count") + 1)
            created = True
    if not created:
        answer.save(update_fields=["updated_at"])
        answer.items.all().delete()
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(
            municipality_id=project.municipality_id, answer=answer, question_id=pk, **fields
        )
        for pk, fields in columns.items()
    )
    project_content_changed(project_id=project.pk, content=False, counts=True)
    return answer


@transaction.atomic
def survey_answers_forget(*, user: Any) -> int:
    """Clear the free texts of ``user``'s answers (account deletion). Ratings and yes/no stay
    with the anonymous account, so published results do not change afterwards."""
    return QuestionAnswer.objects.filter(answer__user=user).exclude(text="").update(text="")


# --- The report -----------------------------------------------------------------------------


def _render(report: EvaluationReport) -> None:
    report.planned_html = render_markdown(report.planned)
    report.outcome_html = render_markdown(report.outcome)
    report.lessons_html = render_markdown(report.lessons)


def _check_report(report: EvaluationReport) -> None:
    errors = {}
    for name in ("cost_estimate_cents", "cost_actual_cents"):
        value = getattr(report, name)
        if value is not None and value < 0:
            errors[name] = _("Ein Betrag kann nicht negativ sein.")
    if report.planned_start and report.planned_end and report.planned_end < report.planned_start:
        errors["planned_end"] = _("Das geplante Ende liegt vor dem geplanten Beginn.")
    if report.kept_start and report.kept_end and report.kept_end < report.kept_start:
        errors["kept_end"] = _("Das tatsächliche Ende liegt vor dem tatsächlichen Beginn.")
    if errors:
        raise ValidationError(errors)
    report.full_clean()


@transaction.atomic
@audited(
    gettext_lazy("Auswertungsbericht gespeichert"),
    target=lookup(EvaluationReport, {"project": "project"}),
    fields=REPORT_FIELDS,
)
def report_save(*, actor: User, project: Project, **fields: Any) -> EvaluationReport:
    """Write the project's report (a draft until published). A change of a published report
    shows "geändert am" on the page; the log keeps what it said before."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_manage(actor, project)
    report = EvaluationReport.objects.select_for_update().filter(project=project).first()
    if report is None:
        report = EvaluationReport(project=project, municipality_id=project.municipality_id)
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    _check_report(report)
    _render(report)
    if report.is_published:
        report.edited_at = timezone.now()
    report.save()
    project_content_changed(project_id=project.pk)
    return report


@transaction.atomic
@audited(
    gettext_lazy("Auswertungsbericht veröffentlicht"),
    target="report",
    fields=("status", "published_at"),
)
def report_publish(*, actor: User, report: EvaluationReport) -> EvaluationReport:
    """Publish the report on the project's page; contributors, followers and the people who
    answered the survey are told."""
    project = report.project
    _require_manage(actor, project)
    report = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    report.project = project
    if report.is_published:
        raise ValidationError(_("Der Bericht ist schon veröffentlicht."))
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at"])
    project_content_changed(project_id=project.pk)
    _tell(
        project,
        survey=Survey.objects.filter(project=project).first(),
        exclude=actor.pk,
        message=lambda: (
            _("„%(title)s“: Der Auswertungsbericht ist erschienen – was daraus wurde.")
            % {"title": project.title}
        ),
    )
    return report


def _tell(project: Project, *, survey: Survey | None, exclude: int, message: Any) -> None:
    notify(
        user_ids=recipients(project=project, survey=survey),
        municipality_id=project.municipality_id,
        kind=Kind.EVALUATION,
        message=message,
        url=evaluation_url(project),
        exclude=[exclude],
    )

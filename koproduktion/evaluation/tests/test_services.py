"""Questions, opening the survey, answers, the report; what each refuses and who is told."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from koproduktion.core.models import AuditEntry, Block
from koproduktion.decisions.tests.factories import PollFactory
from koproduktion.dialogue.services import comment_create
from koproduktion.evaluation import services
from koproduktion.evaluation.models import (
    EvaluationReport,
    Question,
    QuestionAnswer,
    QuestionKind,
    Survey,
    SurveyAnswer,
)
from koproduktion.evaluation.practice import report_practice_example
from koproduktion.evaluation.selectors import recipients, report_prefill
from koproduktion.ideas.services import idea_create, idea_support
from koproduktion.implementation.models import Milestone
from koproduktion.notifications.models import Kind, Notification
from koproduktion.notifications.services import follow
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Phase, Project
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import evaluating, open_survey, questions, resident_of

pytestmark = pytest.mark.django_db

REPORT = {"planned": "Ein Spielplatz.", "outcome": "Er ist offen."}


def _in_phase(project: Project, phase: PhaseKind) -> None:
    Project.objects.filter(pk=project.pk).update(phase=phase)
    project.phase = phase


# --- Questions --------------------------------------------------------------------------------


def test_questions_keep_their_order_and_move():
    project, staff = evaluating()
    rating, yes_no, text = questions(project, staff)
    services.question_move(actor=staff, question=text, up=True)
    order = list(Question.objects.filter(survey__project=project).values_list("text", flat=True))
    assert order == [rating.text, text.text, yes_no.text]
    services.question_move(actor=staff, question=rating, up=True)  # already first: stays
    assert Question.objects.filter(survey__project=project).first().pk == rating.pk


def test_labels_belong_to_ratings_only():
    project, staff = evaluating()
    with pytest.raises(ValidationError) as refused:
        services.question_add(
            actor=staff, project=project, kind=QuestionKind.YES_NO, text="Ja?", low_label="nie"
        )
    assert "low_label" in refused.value.message_dict


def test_residents_cannot_set_questions():
    project, _staff = evaluating()
    with pytest.raises(PermissionDenied):
        services.question_add(
            actor=resident_of(project), project=project, kind=QuestionKind.TEXT, text="Und?"
        )


def test_an_answered_question_cannot_be_deleted_but_reworded():
    project, staff, (rating, _yes_no, text) = open_survey()
    services.survey_answer(actor=resident_of(project), project=project, values={rating.pk: 4})
    with pytest.raises(ValidationError, match="schon Antworten"):
        services.question_delete(actor=staff, question=rating)
    services.question_update(actor=staff, question=rating, text="Wie gefällt es Ihnen?")
    assert Question.objects.get(pk=rating.pk).text == "Wie gefällt es Ihnen?"
    services.question_delete(actor=staff, question=text)  # nobody answered it
    assert not Question.objects.filter(pk=text.pk).exists()
    assert AuditEntry.objects.filter(action="evaluation.question_delete").count() == 1


# --- Opening, and who is told -------------------------------------------------------------------


def test_the_survey_opens_only_in_the_evaluation_phase_with_questions():
    project, staff = evaluating(phase=PhaseKind.IMPLEMENTATION)
    with pytest.raises(ValidationError, match="mindestens eine Frage"):
        services.survey_open(actor=staff, project=project)
    questions(project, staff)
    with pytest.raises(ValidationError, match="Auswertung"):
        services.survey_open(actor=staff, project=project)
    _in_phase(project, PhaseKind.EVALUATION)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.survey_open(actor=staff, project=project, closes_on=yesterday)
    assert "closes_on" in refused.value.message_dict
    survey = services.survey_open(actor=staff, project=project)
    assert survey.opened_at is not None


def _contributors(project: Project):
    """One person for each way of taking part, and one who did nothing."""
    author, commenter, supporter, follower, voter, idle = (resident_of(project) for _ in range(6))
    _in_phase(project, PhaseKind.DIALOGUE)
    idea = idea_create(actor=author, project=project, title="Ein Sandkasten", text="Mit Wasser.")
    comment_create(actor=commenter, idea=idea, text="Unbedingt, bitte mit Schatten.")
    idea_support(actor=supporter, idea=idea)
    follow(user=follower, project=project)
    from koproduktion.decisions.models import Participation  # noqa: PLC0415

    Participation.objects.create(
        municipality=project.municipality, poll=PollFactory(project=project), voter=voter
    )
    _in_phase(project, PhaseKind.EVALUATION)
    return {author, commenter, supporter, follower, voter}, idle


def test_opening_tells_contributors_and_followers_once(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    project, staff = evaluating()
    told, _idle = _contributors(project)
    follow(user=staff, project=project)
    with django_assert_max_num_queries(1):
        assert set(recipients(project=project)) == {person.pk for person in told} | {staff.pk}
    questions(project, staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_open(actor=staff, project=project)
    notified = set(
        Notification.objects.filter(kind=Kind.EVALUATION).values_list("user_id", flat=True)
    )
    assert notified == {person.pk for person in told}  # not the staff who opened it, not idle
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in told)
    assert "Umfrage zur Auswertung ist offen" in mail.outbox[0].body
    # Moving the last day tells nobody again.
    services.survey_open(
        actor=staff, project=project, closes_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    assert Notification.objects.filter(kind=Kind.EVALUATION).count() == len(told)


# --- Answers ------------------------------------------------------------------------------------


def test_an_answer_per_person_a_second_replaces_the_first():
    project, _staff, (rating, yes_no, text) = open_survey()
    person = resident_of(project)
    services.survey_answer(
        actor=person, project=project, values={rating.pk: "2", yes_no.pk: "nein", text.pk: "Bänke"}
    )
    services.survey_answer(actor=person, project=project, values={rating.pk: 5})
    answer = SurveyAnswer.objects.get(user=person)
    assert [(item.rating, item.yes, item.text) for item in answer.items.all()] == [(5, None, "")]
    assert Survey.objects.get(project=project).answer_count == 1


def test_the_database_allows_one_answer_per_person():
    project, _staff, (rating, *_rest) = open_survey()
    person = resident_of(project)
    answer = services.survey_answer(actor=person, project=project, values={rating.pk: 3})
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(
            municipality=project.municipality, survey=answer.survey, user=person
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionAnswer.objects.filter(answer=answer).update(rating=6)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (0, "rating"),
        (6, "rating"),
        ("fünf", "rating"),
        ("vielleicht", "yes_no"),
        ("x" * 1001, "text"),
    ],
)
def test_bad_values_are_refused_at_their_question(value, field):
    project, _staff, asked = open_survey()
    question = {"rating": asked[0], "yes_no": asked[1], "text": asked[2]}[field]
    with pytest.raises(ValidationError) as refused:
        services.survey_answer(
            actor=resident_of(project), project=project, values={question.pk: value}
        )
    assert f"question_{question.pk}" in refused.value.message_dict
    assert not SurveyAnswer.objects.exists()


def test_questions_of_another_survey_and_empty_answers_are_refused():
    project, _staff, _asked = open_survey()
    _other, _other_staff, (foreign, *_rest) = open_survey(municipality=project.municipality)
    person = resident_of(project)
    with pytest.raises(ValidationError, match="gehört nicht"):
        services.survey_answer(actor=person, project=project, values={foreign.pk: 3})
    with pytest.raises(ValidationError, match="mindestens eine Frage"):
        services.survey_answer(actor=person, project=project, values={})


@pytest.mark.parametrize(
    ("situation", "reason"),
    [
        ("implementation", "In der Phase „Umsetzung“"),
        ("closed", "beendet"),
        ("not opened", "noch nicht geöffnet"),
        ("blocked", "gesperrt"),
        ("unconfirmed", "E-Mail-Adresse"),
        ("other town", "registriert"),
        ("anonymous", "melden Sie sich an"),
    ],
)
def test_who_may_not_answer_is_told_why(situation, reason):
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415

    if situation == "not opened":
        project, staff = evaluating()
        rating = questions(project, staff)[0]
    else:
        project, _staff, (rating, *_rest) = open_survey()
    person = resident_of(
        project, email_confirmed_at=None if situation == "unconfirmed" else timezone.now()
    )
    if situation == "implementation":
        _in_phase(project, PhaseKind.IMPLEMENTATION)
    elif situation == "closed":
        Survey.objects.filter(project=project).update(
            closes_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    elif situation == "blocked":
        Block.objects.create(municipality=project.municipality, user=person, reason="Beleidigungen")
    elif situation == "other town":
        person = resident_of(ProjectFactory())
    elif situation == "anonymous":
        person = AnonymousUser()
    with pytest.raises(PermissionDenied, match=reason):
        services.survey_answer(actor=person, project=project, values={rating.pk: 3})


def test_account_deletion_keeps_ratings_and_clears_texts():
    project, _staff, (rating, _yes_no, text) = open_survey()
    person = resident_of(project)
    services.survey_answer(
        actor=person, project=project, values={rating.pk: 4, text.pk: "Ich wohne nebenan, Nr. 5"}
    )
    assert services.survey_answers_forget(user=person) == 1
    kept = sorted(QuestionAnswer.objects.values_list("rating", "text"), key=str)
    assert kept in ([(4, ""), (None, "")], [(None, ""), (4, "")])
    assert SurveyAnswer.objects.get().user == person


# --- The report -----------------------------------------------------------------------------------


def test_the_report_starts_from_what_the_project_knows():
    project, _staff = evaluating(cost_estimate_cents=32_000_000)
    Phase.objects.create(
        municipality=project.municipality,
        project=project,
        kind=PhaseKind.IMPLEMENTATION,
        starts_on=datetime.date(2026, 1, 10),
        ends_on=datetime.date(2026, 6, 30),
    )
    for target, done in (
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 5)),
        (datetime.date(2026, 7, 15), datetime.date(2026, 8, 20)),
    ):
        Milestone.objects.create(
            municipality=project.municipality,
            project=project,
            title="Bau",
            target_date=target,
            completed_on=done,
        )
    prefill = report_prefill(project=project)
    assert prefill.cost_estimate_cents == 32_000_000
    assert (prefill.planned_start, prefill.planned_end) == (
        datetime.date(2026, 1, 10),
        datetime.date(2026, 7, 15),
    )
    assert (prefill.kept_start, prefill.kept_end) == (
        datetime.date(2026, 3, 5),
        datetime.date(2026, 8, 20),
    )


def test_the_report_refuses_negative_costs_and_an_end_before_its_start():
    project, staff = evaluating()
    with pytest.raises(ValidationError) as refused:
        services.report_save(
            actor=staff,
            project=project,
            **REPORT,
            cost_actual_cents=-1,
            kept_start=datetime.date(2026, 5, 1),
            kept_end=datetime.date(2026, 4, 1),
        )
    assert set(refused.value.message_dict) == {"cost_actual_cents", "kept_end"}
    # Beginning before the planned start is a fact, not an error.
    report = services.report_save(
        actor=staff,
        project=project,
        **REPORT,
        planned_start=datetime.date(2026, 5, 1),
        kept_start=datetime.date(2026, 4, 1),
    )
    assert report.kept_start < report.planned_start
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationReport.objects.filter(pk=report.pk).update(cost_estimate_cents=-5)


def test_the_report_stores_sanitised_markdown():
    project, staff = evaluating()
    report = services.report_save(
        actor=staff,
        project=project,
        planned="**Plan** [Link](javascript:alert(1))",
        outcome="Gut.",
        lessons="- eins\n- zwei",
    )
    assert "<strong>Plan</strong>" in report.planned_html
    assert "javascript" not in report.planned_html
    assert "<li>eins</li>" in report.lessons_html


def test_publishing_tells_contributors_and_who_answered_and_later_edits_are_logged(
    django_capture_on_commit_callbacks,
):
    project, staff, (rating, *_rest) = open_survey()
    told, _idle = _contributors(project)
    answerer = resident_of(project)
    services.survey_answer(actor=answerer, project=project, values={rating.pk: 5})
    Notification.objects.all().delete()
    report = services.report_save(actor=staff, project=project, **REPORT)
    assert not Notification.objects.exists()  # a draft tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(actor=staff, report=report)
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {person.pk for person in told} | {answerer.pk}
    assert Notification.objects.filter(message__contains="Auswertungsbericht").count() == len(
        notified
    )
    with pytest.raises(ValidationError, match="schon veröffentlicht"):
        services.report_publish(actor=staff, report=report)
    report = services.report_save(actor=staff, project=project, **{**REPORT, "outcome": "Anders."})
    assert report.edited_at is not None
    entry = AuditEntry.objects.filter(action="evaluation.report_save").latest("pk")
    assert entry.before == {"outcome": "Er ist offen."}
    assert entry.after == {"outcome": "Anders."}


def test_staff_of_another_department_cannot_write_the_report():
    project, _staff = evaluating()
    _other_project, other_staff = evaluating(municipality=project.municipality)
    with pytest.raises(PermissionDenied):
        services.report_save(actor=other_staff, project=project, **REPORT)
    assert not EvaluationReport.objects.exists()


def test_a_published_report_becomes_a_draft_practice_example_in_one_step():
    from koproduktion.core.roles import Role  # noqa: PLC0415
    from koproduktion.core.tests.factories import person_with_role  # noqa: PLC0415
    from koproduktion.practice.models import PracticeExample  # noqa: PLC0415

    project, staff = evaluating(title="Spielplatz im Lindenpark")
    report = services.report_save(
        actor=staff,
        project=project,
        planned="Ein Spielplatz.",
        outcome="Mit Kindern geplant.",
        lessons="Schatten fehlt.",
        kept_end=datetime.date(2026, 8, 20),
    )
    coordination = person_with_role(project.municipality, Role.COORDINATION)
    with pytest.raises(ValidationError, match="veröffentlichte Bericht"):
        report_practice_example(actor=coordination, report=report)
    services.report_publish(actor=staff, report=report)
    report.refresh_from_db()
    # Department staff write reports; the library is the coordination's.
    with pytest.raises(PermissionDenied):
        report_practice_example(actor=staff, report=report)
    example = report_practice_example(actor=coordination, report=report)
    assert (example.title, example.problem, example.approach, example.worked) == (
        "Spielplatz im Lindenpark",
        "Ein Spielplatz.",
        "Mit Kindern geplant.",
        "Schatten fehlt.",
    )
    assert (example.project, example.year, example.is_published) == (project, 2026, False)
    assert example.contact_name == project.department.name
    # A second step leads to the same example.
    assert report_practice_example(actor=coordination, report=report) == example
    assert PracticeExample.objects.count() == 1

from __future__ import annotations

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.evaluation import services
from koproduktion.evaluation.models import Question, QuestionKind
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory, staff_of


def evaluating(**fields) -> tuple[Project, object]:
    """A published project in its evaluation phase, and staff of its department."""
    fields.setdefault("phase", PhaseKind.EVALUATION)
    project = ProjectFactory(**fields)
    return project, staff_of(project)


def resident_of(project: Project, **fields):
    return person_with_role(project.municipality, Role.RESIDENT, **fields)


def questions(project: Project, staff) -> tuple[Question, Question, Question]:
    """A rating, a yes/no and a free-text question, in that order."""
    return (
        services.question_add(
            actor=staff,
            project=project,
            kind=QuestionKind.RATING,
            text="Wie zufrieden sind Sie?",
            low_label="gar nicht",
            high_label="sehr",
        ),
        services.question_add(
            actor=staff, project=project, kind=QuestionKind.YES_NO, text="Wieder dabei?"
        ),
        services.question_add(
            actor=staff, project=project, kind=QuestionKind.TEXT, text="Was fehlt?"
        ),
    )


def open_survey(**fields):
    """An evaluating project with three questions and an open survey."""
    project, staff = evaluating(**fields)
    asked = questions(project, staff)
    services.survey_open(actor=staff, project=project)
    return project, staff, asked

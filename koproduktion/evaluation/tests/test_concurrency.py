"""One person sends the survey from two tabs at once; many people answer at once: one answer
each, and the counter matches the rows (on PostgreSQL, see ``core.tests.races``).
"""

from __future__ import annotations

from koproduktion.core.tests.races import ON_POSTGRESQL, at_once
from koproduktion.evaluation import services
from koproduktion.evaluation.models import QuestionAnswer, Survey, SurveyAnswer

from .factories import open_survey, resident_of

pytestmark = ON_POSTGRESQL


def test_answers_at_once_stay_one_per_person_and_are_all_counted():
    project, _staff, (rating, *_rest) = open_survey()
    same = resident_of(project)
    others = [resident_of(project) for _ in range(6)]
    calls = [
        *(
            lambda value=value: services.survey_answer(
                actor=same, project=project, values={rating.pk: value}
            )
            for value in (2, 5)
        ),
        *(
            lambda person=person: services.survey_answer(
                actor=person, project=project, values={rating.pk: 3}
            )
            for person in others
        ),
    ]
    assert at_once(calls) == []
    assert SurveyAnswer.objects.count() == 1 + len(others)
    assert Survey.objects.get(project=project).answer_count == 1 + len(others)
    assert QuestionAnswer.objects.filter(answer__user=same).count() == 1

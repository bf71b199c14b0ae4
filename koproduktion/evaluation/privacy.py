"""Survey answers in the data download and on account deletion (see accounts.personal_data).

The answers stay with the anonymous account that remains, so published results do not change
after someone leaves; their free texts are cleared, as those may say who wrote them.
"""

from __future__ import annotations

from typing import Any

from koproduktion.accounts.personal_data import register

from .models import SurveyAnswer
from .services import survey_answers_forget


def _forget_texts(user: Any) -> None:
    survey_answers_forget(user=user)


register(
    name="survey_answers",
    model=SurveyAnswer,
    field="user",
    # One row per question answered, under the answer's id.
    values=(
        "survey__project__title",
        "items__question__text",
        "items__rating",
        "items__yes",
        "items__text",
        "updated_at",
    ),
    erase=_forget_texts,
)

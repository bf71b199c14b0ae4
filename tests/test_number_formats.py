"""Amounts and shares read as the reader writes them, in German and in English."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.decisions.models import PollKind
from koproduktion.decisions.services import ballot_cast
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load koproduktion %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "1.234.567 € · 58 % · 12,5 % · 5.000"), ("en", "1,234,567 € · 58% · 12.5% · 5,000")],
)
def test_amounts_shares_and_limits_in_each_language(language, expected):
    rendered = _render(
        "{{ cents|euros }} · {{ share|percent }} · {{ half|percent }} · {{ limit|grouped }}",
        language,
        cents=123_456_700,
        share=58,
        half=12.5,
        limit=5000,
    )
    assert rendered == expected


@pytest.mark.django_db
def test_a_budget_refusal_names_the_amounts_in_the_readers_format():
    poll = PollFactory(kind=PollKind.BUDGET, budget_cents=250_000)
    options = [PollOptionFactory(poll=poll, cost_cents=1_200_000) for _ in range(2)]
    voter = person_with_role(poll.municipality, Role.RESIDENT)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        ballot_cast(voter=voter, poll=poll, choices={option.pk: 1 for option in options})
    assert "24,000 €" in refused.value.messages[0]
    assert "2,500 €" in refused.value.messages[0]

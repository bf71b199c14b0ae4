from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import NeighbourhoodFactory, person_with_role
from koproduktion.decisions.models import Ballot, BallotLine, Participation, PollKind
from koproduktion.decisions.results import poll_results, results_csv
from koproduktion.decisions.services import (
    ballot_cast,
    code_batch_create,
    code_redeem,
    verification_grant,
)
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory, closed
from koproduktion.projects.capabilities import PhaseKind

pytestmark = pytest.mark.django_db


def _poll(kind=PollKind.APPROVAL, n_options=3, **fields):
    poll = PollFactory(kind=kind, **fields)
    options = [PollOptionFactory(poll=poll, cost_cents=(i + 1) * 100_000) for i in range(n_options)]
    return poll, options


def _voter(poll, **fields):
    return person_with_role(poll.municipality, Role.RESIDENT, **fields)


def test_approval_vote_is_stored_secretly_and_counted():
    poll, (a, b, c) = _poll(max_choices=2)
    ballot_cast(voter=_voter(poll), poll=poll, choices={a.pk: 1, b.pk: 1})
    ballot_cast(voter=_voter(poll), poll=poll, choices={a.pk: 1})
    assert Participation.objects.count() == 2
    # The ballot carries no voter and no time: nothing links what was voted to who voted.
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "municipality", "poll", "lines"}
    # Two ballots are fewer than a batch: they are counted at the close.
    assert poll_results(poll).ballots == 0
    assert poll_results(poll).pending == 2
    results = poll_results(closed(poll))
    assert [(r.option_id, r.votes) for r in results.rows] == [(a.pk, 2), (b.pk, 1), (c.pk, 0)]
    assert results.ballots == 2


@pytest.mark.parametrize(
    ("kind", "fields", "choices", "message"),
    [
        (PollKind.APPROVAL, {"max_choices": 1}, "ab", "höchstens 1 Optionen"),
        (PollKind.RANKING, {}, {"a": 1, "b": 3}, "lückenlos"),
        (PollKind.DOTS, {"points": 5}, {"a": 4, "b": 2}, "nur 5"),
        (PollKind.BUDGET, {"budget_cents": 250_000}, "ac", "Budget beträgt 2.500 €"),
        (PollKind.APPROVAL, {}, "", "mindestens eine Option"),
    ],
)
def test_bad_ballots_are_refused_and_nothing_is_stored(kind, fields, choices, message):
    poll, options = _poll(kind=kind, **fields)
    by_letter = dict(zip("abc", options, strict=True))
    if isinstance(choices, str):
        choices = {by_letter[letter].pk: 1 for letter in choices}
    else:
        choices = {by_letter[letter].pk: value for letter, value in choices.items()}
    with pytest.raises(ValidationError, match=message):
        ballot_cast(voter=_voter(poll), poll=poll, choices=choices)
    assert not Participation.objects.exists()
    assert not BallotLine.objects.exists()


@pytest.mark.parametrize("kind", [PollKind.APPROVAL, PollKind.BUDGET])
@pytest.mark.parametrize("value", [0, -5, 2, 10**12])
def test_a_cross_is_the_value_one_and_nothing_else(kind, value):
    poll, (a, b, _c) = _poll(kind=kind, budget_cents=10_000_000)
    with pytest.raises(ValidationError, match="Ein Kreuz hat den Wert 1"):
        ballot_cast(voter=_voter(poll), poll=poll, choices={a.pk: 1, b.pk: value})
    assert not Participation.objects.exists()
    assert poll_results(poll).ballots == 0


@pytest.mark.parametrize(
    ("kind", "fields", "values", "message"),
    [
        (PollKind.RANKING, {}, {"a": 0}, "mindestens 1"),
        (PollKind.RANKING, {}, {"a": -1, "b": 1}, "mindestens 1"),
        (PollKind.RANKING, {}, {"a": 1, "b": 1}, "jeden nur einmal"),
        (PollKind.RANKING, {}, {"a": 4}, "lückenlos"),
        (PollKind.RANKING, {}, {"a": 1, "b": 2**40}, "lückenlos"),
        (PollKind.RANKING, {"max_choices": 2}, {"a": 1, "b": 2, "c": 3}, "höchstens 2 Plätze"),
        (PollKind.DOTS, {"points": 5}, {"a": 0}, "mindestens 1"),
        (PollKind.DOTS, {"points": 5}, {"a": -3, "b": 8}, "mindestens 1"),
        (PollKind.DOTS, {"points": 5}, {"a": 6}, "nur 5"),
        (PollKind.DOTS, {"points": 5}, {"a": 2**40}, "nur 5"),
    ],
)
def test_ranks_and_points_out_of_range_are_refused(kind, fields, values, message):
    poll, options = _poll(kind=kind, **fields)
    by_letter = dict(zip("abc", options, strict=True))
    with pytest.raises(ValidationError, match=message):
        ballot_cast(
            voter=_voter(poll),
            poll=poll,
            choices={by_letter[letter].pk: value for letter, value in values.items()},
        )
    assert not Participation.objects.exists()


@pytest.mark.parametrize("kind", list(PollKind))
def test_options_of_another_poll_or_town_are_refused_in_every_kind(kind):
    poll, (a, *_rest) = _poll(kind=kind, points=5, budget_cents=10_000_000)
    same_town = PollOptionFactory(poll=PollFactory(project=poll.project), cost_cents=1)
    other_town = PollOptionFactory(cost_cents=1)
    for stranger in (same_town, other_town):
        with pytest.raises(ValidationError, match="gehören nicht zur Abstimmung"):
            ballot_cast(
                voter=_voter(poll),
                poll=poll,
                choices={a.pk: 1, stranger.pk: 2 if kind == PollKind.RANKING else 1},
            )
    assert not Participation.objects.exists()


def test_option_of_another_poll_is_refused():
    poll, _options = _poll()
    stranger = PollOptionFactory()
    with pytest.raises(ValidationError, match="gehören nicht zur Abstimmung"):
        ballot_cast(voter=_voter(poll), poll=poll, choices={stranger.pk: 1})


def test_twice_is_refused():
    poll, (a, b, _c) = _poll()
    voter = _voter(poll)
    ballot_cast(voter=voter, poll=poll, choices={a.pk: 1})
    with pytest.raises(ValidationError, match="schon abgestimmt"):
        ballot_cast(voter=voter, poll=poll, choices={b.pk: 1})
    assert [(r.option_id, r.votes) for r in poll_results(closed(poll)).rows][:2] == [
        (a.pk, 1),
        (b.pk, 0),
    ]


def test_outside_the_phase_or_the_time_is_refused():
    poll, (a, *_rest) = _poll(project__phase=PhaseKind.DIALOGUE)
    with pytest.raises(PermissionDenied, match="In der Phase"):
        ballot_cast(voter=_voter(poll), poll=poll, choices={a.pk: 1})
    later, (b, *_rest) = _poll(
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    with pytest.raises(PermissionDenied, match="beginnt am"):
        ballot_cast(voter=_voter(later), poll=later, choices={b.pk: 1})
    assert not Participation.objects.exists()


def test_binding_neighbourhood_and_age_need_verification():
    north = NeighbourhoodFactory()
    poll, (a, *_rest) = _poll(
        binding=True, neighbourhood=north, min_age=16, project__municipality=north.municipality
    )
    staff = person_with_role(poll.municipality, Role.STAFF)
    voter = _voter(poll)
    with pytest.raises(PermissionDenied, match="verifiziert"):
        ballot_cast(voter=voter, poll=poll, choices={a.pk: 1})
    verification_grant(
        actor=staff,
        user=voter,
        municipality=poll.municipality,
        neighbourhood=NeighbourhoodFactory(municipality=poll.municipality),
        birth_date=datetime.date(2000, 1, 1),
    )
    with pytest.raises(PermissionDenied, match="nur Bewohner"):
        ballot_cast(voter=voter, poll=poll, choices={a.pk: 1})
    young = timezone.localdate().replace(year=timezone.localdate().year - 15)
    verification_grant(
        actor=staff,
        user=voter,
        municipality=poll.municipality,
        neighbourhood=north,
        birth_date=young,
    )
    with pytest.raises(PermissionDenied, match="mindestens 16"):
        ballot_cast(voter=voter, poll=poll, choices={a.pk: 1})
    verification_grant(
        actor=staff,
        user=voter,
        municipality=poll.municipality,
        neighbourhood=north,
        birth_date=datetime.date(1990, 5, 17),
    )
    ballot_cast(voter=voter, poll=poll, choices={a.pk: 1})
    assert Participation.objects.count() == 1


def test_postal_codes_verify_once_for_their_neighbourhood():
    north = NeighbourhoodFactory()
    staff = person_with_role(north.municipality, Role.STAFF)
    _batch, codes = code_batch_create(
        actor=staff, municipality=north.municipality, count=3, neighbourhood=north
    )
    assert len(set(codes)) == 3
    resident = person_with_role(north.municipality, Role.RESIDENT)
    verification = code_redeem(
        user=resident, municipality=north.municipality, code=codes[0].lower()
    )
    assert verification.neighbourhood == north
    with pytest.raises(ValidationError, match="schon benutzt"):
        code_redeem(
            user=person_with_role(north.municipality, Role.RESIDENT),
            municipality=north.municipality,
            code=codes[0],
        )
    with pytest.raises(ValidationError, match="kennen wir nicht"):
        code_redeem(user=resident, municipality=north.municipality, code="AAAA-BBBB-CCCC")
    with pytest.raises(PermissionDenied):
        code_batch_create(actor=resident, municipality=north.municipality, count=1)


def test_ranking_uses_borda_and_dots_sum_points():
    poll, (a, b, c) = _poll(kind=PollKind.RANKING)
    ballot_cast(voter=_voter(poll), poll=poll, choices={a.pk: 1, b.pk: 2, c.pk: 3})
    ballot_cast(voter=_voter(poll), poll=poll, choices={b.pk: 1, a.pk: 2})
    ballot_cast(voter=_voter(poll), poll=poll, choices={b.pk: 1})
    scores = {r.option_id: r.score for r in poll_results(closed(poll)).rows}
    # 3 options: rank 1 = 3 points, rank 2 = 2, rank 3 = 1.
    assert scores == {a.pk: 3 + 2, b.pk: 2 + 3 + 3, c.pk: 1}
    dots, (x, y, _z) = _poll(kind=PollKind.DOTS, points=5)
    ballot_cast(voter=_voter(dots), poll=dots, choices={x.pk: 3, y.pk: 2})
    ballot_cast(voter=_voter(dots), poll=dots, choices={y.pk: 5})
    assert [(r.option_id, r.score) for r in poll_results(closed(dots)).rows][:2] == [
        (y.pk, 7),
        (x.pk, 3),
    ]


def test_budget_results_draw_the_funding_line_and_are_reproducible():
    poll, (a, b, c) = _poll(kind=PollKind.BUDGET, budget_cents=450_000)  # costs 1k, 2k, 3k €
    for choice in ([c], [c], [c, a], [b], [b, a]):
        ballot_cast(voter=_voter(poll), poll=poll, choices={o.pk: 1 for o in choice})
    poll = closed(poll)
    results = poll_results(poll)
    assert [(r.option_id, r.votes, r.funded) for r in results.rows] == [
        (c.pk, 3, True),
        (a.pk, 2, True),
        (b.pk, 2, False),
    ]
    assert results.spent_cents == 400_000
    assert results_csv(results) == results_csv(poll_results(poll))
    assert "funded" in results_csv(results).splitlines()[0]


# PostgreSQL allows 100 connections in all, shared with everything else on the machine: 20
# connections fire the 100 attempts, five each, all released at the same moment.
CONNECTIONS, ATTEMPTS = 20, 100


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL (CI runs it)"
)
def test_hundred_concurrent_double_votes_store_exactly_one():
    poll, (a, b, _c) = _poll()
    voter = _voter(poll)
    barrier = threading.Barrier(CONNECTIONS)
    outcomes = []

    def vote(thread_index):
        from django.db import connection as thread_connection  # noqa: PLC0415

        barrier.wait()
        try:
            for attempt in range(ATTEMPTS // CONNECTIONS):
                option = a if (thread_index + attempt) % 2 else b
                try:
                    ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})
                    outcomes.append("stored")
                except ValidationError:
                    outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == ATTEMPTS
    assert outcomes.count("stored") == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    assert poll_results(closed(poll)).ballots == 1
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert BallotLine.objects.filter(poll=poll).count() == 1

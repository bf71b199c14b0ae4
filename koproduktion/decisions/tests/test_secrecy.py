"""Secret ballots against someone who reads the whole database.

Twenty people vote, each for a different option, so every stored ballot names its voter to the
test. An attacker with every column of every table — ids, `ctid`, `xmin`, the time columns, the
pool — then pairs the participations (who) with the ballots (what) by every order they offer.

How many right pairs chance gives: a pairing that knows nothing is a random permutation of the 20,
which gets one voter right on average and more than 7 right in 1 case of 100,000 (1.02e-5, from the
rencontres numbers). The orderings below yield a few dozen distinct pairings, mostly the same ones
(ids, ctid, xmin and voted_at of the participations all follow the order of voting), so a false
alarm is rarer than 1 in 3,000 runs; the former storage, which wrote a voter's participation and
ballot in one transaction, one after the other, was paired 20 of 20.
"""

from __future__ import annotations

import datetime
import importlib
import io
import itertools
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.decisions import sealing
from koproduktion.decisions.models import Ballot, BallotLine, Participation, Poll, PollKind
from koproduktion.decisions.results import poll_results
from koproduktion.decisions.services import ballot_cast
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory, closed

VOTERS = 20
CHANCE = 7  # more right pairs than this, and an ordering gives the voters away (see above)
ROOT = Path(__file__).resolve().parents[3]

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="xmin and ctid exist on PostgreSQL only (CI runs it); SQLite's rowid is tested below",
)


def _twenty_vote(poll: Poll) -> dict[int, int]:
    """Each voter crosses an option of their own; returns voter id → option id, the truth."""
    truth = {}
    for _ in range(VOTERS):
        option = PollOptionFactory(poll=poll)
        voter = person_with_role(poll.municipality, Role.RESIDENT)
        ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})
        truth[voter.pk] = option.pk
    return truth


def _rows(sql: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ctid(text: str) -> tuple[int, int]:
    page, item = text.strip("()").split(",")
    return int(page), int(item)


def _right_pairs(voters: list[int], options: list[int], truth: dict[int, int]) -> int:
    return sum(truth[voter] == option for voter, option in zip(voters, options, strict=False))


def _pairings(voter_orders: dict, ballot_orders: dict) -> dict[str, tuple]:
    """Every participation order against every ballot order, from the front and from the back
    (while the poll runs, fewer ballots are stored than people voted), and reversed."""
    pairings = {}
    for p_name, voters in voter_orders.items():
        for b_name, options in ballot_orders.items():
            for direction, ordered in (("", options), (" reversed", options[::-1])):
                shift = len(voters) - len(ordered)
                pairings[f"{p_name} ~ {b_name}{direction}"] = (voters, ordered)
                if shift:
                    pairings[f"{p_name} ~ {b_name}{direction}, latest voters"] = (
                        voters[shift:],
                        ordered,
                    )
    return pairings


def _attack_postgresql(poll: Poll, truth: dict[int, int]) -> dict[str, int]:
    """Every pairing the stored rows offer, with how many voters each gets right."""
    commit_times = _rows("SHOW track_commit_timestamp")[0][0] == "on"
    people = _rows(
        "SELECT voter_id, id, ctid::text, xmin::text::bigint, voted_at"
        " FROM decisions_participation WHERE poll_id = %s",
        poll.pk,
    )
    lines = _rows(
        "SELECT l.option_id, b.id::text, b.ctid::text, b.xmin::text::bigint,"
        " l.id, l.ctid::text, l.xmin::text::bigint,"
        # With track_commit_timestamp on, each transaction's commit time is stored too.
        " CASE WHEN current_setting('track_commit_timestamp') = 'on'"
        " THEN pg_xact_commit_timestamp(b.xmin) END"
        " FROM decisions_ballotline l JOIN decisions_ballot b ON b.id = l.ballot_id"
        " WHERE l.poll_id = %s",
        poll.pk,
    )
    voter_orders = {
        "participation id": [p[0] for p in sorted(people, key=lambda p: p[1])],
        "participation ctid": [p[0] for p in sorted(people, key=lambda p: _ctid(p[2]))],
        "participation xmin": [p[0] for p in sorted(people, key=lambda p: (p[3], _ctid(p[2])))],
        "voted_at": [p[0] for p in sorted(people, key=lambda p: (p[4], p[1]))],
    }
    ballot_orders = {
        "ballot id": [line[0] for line in sorted(lines, key=lambda line: line[1])],
        "ballot ctid": [line[0] for line in sorted(lines, key=lambda line: _ctid(line[2]))],
        "ballot xmin": [
            line[0] for line in sorted(lines, key=lambda line: (line[3], _ctid(line[2])))
        ],
        "line id": [line[0] for line in sorted(lines, key=lambda line: line[4])],
        "line ctid": [line[0] for line in sorted(lines, key=lambda line: _ctid(line[5]))],
        "line xmin": [line[0] for line in sorted(lines, key=lambda line: (line[6], line[4]))],
    }
    if commit_times:
        ballot_orders["commit time"] = [
            line[0] for line in sorted(lines, key=lambda line: (line[7], _ctid(line[2])))
        ]
    scores = {
        name: _right_pairs(voters, options, truth)
        for name, (voters, options) in _pairings(voter_orders, ballot_orders).items()
    }
    # The same transaction: a ballot written by the transaction that wrote a participation.
    by_transaction = {}
    for line in sorted(lines, key=lambda line: _ctid(line[2])):
        by_transaction.setdefault(line[3], line[0])
    scores["same xmin"] = sum(
        truth[p[0]] == by_transaction.get(p[3]) for p in people if p[3] in by_transaction
    )
    # The nearest transaction: each ballot to the participation written closest to it (a
    # savepoint gives the participation a transaction id of its own, next to the vote's).
    scores["nearest xmin"] = sum(
        truth[min(people, key=lambda p: (abs(p[3] - line[3]), p[3]))[0]] == line[0]
        for line in lines
    )
    return scores


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_attacker_with_every_column_pairs_no_more_voters_than_chance():
    poll = PollFactory(kind=PollKind.APPROVAL)
    truth = _twenty_vote(poll)

    # While the poll runs: what is stored then, pool included.
    running = _attack_postgresql(poll, truth)
    assert max(running.values()) <= CHANCE, running
    pools = _rows(
        "SELECT xmin::text::bigint, sealed FROM decisions_ballotpool WHERE poll_id = %s", poll.pk
    )
    participations = _rows(
        "SELECT xmin::text::bigint FROM decisions_participation WHERE poll_id = %s ORDER BY id",
        poll.pk,
    )
    # One pool row per poll, rewritten whole by every vote: it carries the latest vote's
    # transaction only, and nothing of what was chosen in a form anyone could read.
    assert len(pools) == 1
    assert pools[0][0] > participations[-2][0]
    sealed = bytes(pools[0][1])
    assert not any(option.to_bytes(8, "big") in sealed for option in truth.values())

    # At the close every ballot is counted, once; then no order pairs them either.
    poll = closed(poll)
    results = poll_results(poll)
    assert results.ballots == VOTERS
    assert {row.option_id: row.votes for row in results.rows} == dict.fromkeys(truth.values(), 1)
    final = _attack_postgresql(poll, truth)
    assert max(final.values()) <= CHANCE, final
    assert _rows("SELECT pending FROM decisions_ballotpool WHERE poll_id = %s", poll.pk) == [(0,)]


@pytest.mark.django_db(transaction=True)
def test_no_time_column_is_stored_with_a_ballot():
    tables = [Ballot._meta.db_table, BallotLine._meta.db_table, "decisions_ballotpool"]
    with connection.cursor() as cursor:
        for table in tables:
            columns = connection.introspection.get_table_description(cursor, table)
            kinds = {
                column.name: connection.introspection.get_field_type(column.type_code, column)
                for column in columns
            }
            assert not [name for name, kind in kinds.items() if "Date" in kind or "Time" in kind]


@pytest.mark.django_db
def test_sqlite_rowids_pair_no_more_voters_than_chance():
    """On SQLite every table has a rowid in the order of insertion: the participations' follow
    the voting, the ballots' and lines' must not."""
    if connection.vendor != "sqlite":
        pytest.skip("the rowid order is SQLite's; PostgreSQL's orders are tested above")
    poll = PollFactory(kind=PollKind.APPROVAL)
    truth = _twenty_vote(poll)
    for stage in ("running", "closed"):
        if stage == "closed":
            poll = closed(poll)
            assert poll_results(poll).ballots == VOTERS
        voters = [
            row[0]
            for row in _rows(
                "SELECT voter_id FROM decisions_participation WHERE poll_id = %s ORDER BY rowid",
                poll.pk,
            )
        ]
        orders = {
            "ballot rowid": _rows(
                "SELECT l.option_id FROM decisions_ballotline l JOIN decisions_ballot b"
                " ON b.id = l.ballot_id WHERE l.poll_id = %s ORDER BY b.rowid",
                poll.pk,
            ),
            "line rowid": _rows(
                "SELECT option_id FROM decisions_ballotline WHERE poll_id = %s ORDER BY rowid",
                poll.pk,
            ),
            "ballot id": _rows(
                "SELECT l.option_id FROM decisions_ballotline l JOIN decisions_ballot b"
                " ON b.id = l.ballot_id WHERE l.poll_id = %s ORDER BY b.id",
                poll.pk,
            ),
        }
        scores = {
            name: _right_pairs(people, options, truth)
            for name, (people, options) in _pairings(
                {"participation rowid": voters},
                {name: [row[0] for row in rows] for name, rows in orders.items()},
            ).items()
        }
        assert max(scores.values()) <= CHANCE, (stage, scores)


def _live_counts(poll: Poll, votes: int) -> list[int]:
    counts = [poll_results(poll).ballots]
    option = PollOptionFactory(poll=poll)
    for _ in range(votes):
        voter = person_with_role(poll.municipality, Role.RESIDENT)
        ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})
        counts.append(poll_results(poll).ballots)
    return counts


@pytest.mark.django_db
def test_live_results_change_only_by_whole_batches_also_at_theclosed(settings):
    """Reading the live results before and after one person's vote shows either no change or
    a change of at least BALLOT_BATCH_SIZE ballots — also between the last live reading and
    the final result — so no reading isolates one ballot."""
    settings.BALLOT_BATCH_SIZE = 3
    poll = PollFactory(kind=PollKind.APPROVAL)
    counts = _live_counts(poll, 10)
    counts.append(poll_results(closed(poll)).ballots)
    steps = [after - before for before, after in itertools.pairwise(counts)]
    assert all(step == 0 or step >= 3 for step in steps), counts
    assert counts[-1] == 10
    assert steps[-1] >= 3
    assert Participation.objects.filter(poll=poll).count() == 10


@pytest.mark.django_db
def test_a_small_poll_shows_nothing_until_theclosed(settings):
    settings.BALLOT_BATCH_SIZE = 10
    poll = PollFactory(kind=PollKind.APPROVAL)
    assert _live_counts(poll, 4) == [0, 0, 0, 0, 0]
    assert poll_results(closed(poll)).ballots == 4


@pytest.mark.django_db
def test_a_poll_counted_at_its_close_takes_no_later_vote():
    """Moving the end of a counted poll later must not let one more ballot be read from the
    difference of two results."""
    poll = PollFactory(kind=PollKind.APPROVAL)
    option = PollOptionFactory(poll=poll)
    for _ in range(3):
        voter = person_with_role(poll.municipality, Role.RESIDENT)
        ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})
    poll = closed(poll)
    out = io.StringIO()
    call_command("count_closed_polls", stdout=out)
    assert out.getvalue() == f"{poll.pk}: 3\n"
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() + datetime.timedelta(days=1))
    poll.refresh_from_db()
    late = person_with_role(poll.municipality, Role.RESIDENT)
    with pytest.raises(PermissionDenied, match="beendet"):
        ballot_cast(voter=late, poll=poll, choices={option.pk: 1})
    assert poll_results(poll).ballots == 3
    assert not Participation.objects.filter(voter=late).exists()


def test_the_sealed_pool_shows_how_many_ballots_wait_but_not_what_they_say(settings):
    options = [11, 12, 13, 14]
    one_cross = sealing.seal(poll_id=1, option_ids=options, ballots=[{11: 1}, {12: 1}])
    all_crosses = sealing.seal(
        poll_id=1, option_ids=options, ballots=[dict.fromkeys(options, 1)] * 2
    )
    again = sealing.seal(poll_id=1, option_ids=options, ballots=[{11: 1}, {12: 1}])
    assert len(one_cross) == len(all_crosses) == len(again)
    assert one_cross != again  # a fresh nonce each time: equal pools do not look equal
    assert sealing.unseal(poll_id=1, sealed=one_cross) == [{11: 1}, {12: 1}]
    with pytest.raises(sealing.PoolUnreadable):
        sealing.unseal(poll_id=2, sealed=one_cross)  # another poll's row
    # A new SECRET_KEY opens the pools sealed under the old one while it is a fallback.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert sealing.unseal(poll_id=1, sealed=all_crosses) == [dict.fromkeys(options, 1)] * 2
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(sealing.PoolUnreadable):
        sealing.unseal(poll_id=1, sealed=all_crosses)


@pytest.mark.django_db
def test_the_migration_rewrites_ballots_stored_before_the_pool():
    """Ballots written the old way, one per vote in order, get new keys and new rows; what they
    say stays the same."""
    rewrite = importlib.import_module(
        "koproduktion.decisions.migrations.0002_ballot_pool"
    ).rewrite_ballots
    poll = PollFactory(kind=PollKind.RANKING)
    a, b = PollOptionFactory(poll=poll), PollOptionFactory(poll=poll)
    contents = [{(a.pk, 1), (b.pk, 2)}, {(b.pk, 1)}, {(a.pk, 1)}, set()]
    for lines in contents:
        ballot = Ballot.objects.create(municipality=poll.municipality, poll=poll)
        for option_id, value in lines:
            BallotLine.objects.create(
                municipality=poll.municipality,
                ballot=ballot,
                poll=poll,
                option_id=option_id,
                value=value,
            )
    before = set(Ballot.objects.values_list("pk", flat=True))
    lines_before = set(BallotLine.objects.values_list("pk", flat=True))
    rewrite(django_apps, None)
    after = {ballot.pk: ballot for ballot in Ballot.objects.prefetch_related("lines")}
    assert not before & set(after)
    assert not lines_before & set(BallotLine.objects.values_list("pk", flat=True))
    stored = sorted(
        sorted((line.option_id, line.value) for line in ballot.lines.all())
        for ballot in after.values()
    )
    assert stored == sorted(sorted(lines) for lines in contents)


# -- kill -9 ---------------------------------------------------------------------------------

_DIE_WHILE_WRITING = """
import sys, time
import django
django.setup()
from django.db import transaction
from koproduktion.accounts.models import User
from koproduktion.decisions import sealing
from koproduktion.decisions.models import Poll
from koproduktion.decisions.services import ballot_cast, ballot_pool_flush
poll = Poll.objects.get(pk={poll})
with transaction.atomic():
    if {voter}:
        ballot_cast(voter=User.objects.get(pk={voter}), poll=poll, choices={{{option}: 1}})
    else:
        ballot_pool_flush(poll=poll)
    print("written", flush=True)
    time.sleep(120)
"""


def _die_while_writing(poll: Poll, voter: int = 0, option: int = 0) -> None:
    """Runs a cast (or the count at the close) in another process and kills it with SIGKILL
    after it has written everything, before it commits."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    script = textwrap.dedent(_DIE_WHILE_WRITING.format(poll=poll.pk, voter=voter, option=option))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "koproduktion.settings", "DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "written"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_process_killed_while_writing_loses_no_ballot_and_counts_none_twice(settings):
    settings.BALLOT_BATCH_SIZE = 2
    poll = PollFactory(kind=PollKind.APPROVAL)
    option = PollOptionFactory(poll=poll)
    for _ in range(3):
        ballot_cast(
            voter=person_with_role(poll.municipality, Role.RESIDENT),
            poll=poll,
            choices={option.pk: 1},
        )
    # A cast killed before it commits leaves nothing: the person has not voted and may vote.
    voter = person_with_role(poll.municipality, Role.RESIDENT)
    _die_while_writing(poll, voter=voter.pk, option=option.pk)
    assert not Participation.objects.filter(poll=poll, voter=voter).exists()
    ballot_cast(voter=voter, poll=poll, choices={option.pk: 1})
    # The count at the close killed before it commits leaves the pool as it was.
    poll = closed(poll)
    published = Ballot.objects.filter(poll=poll).count()
    _die_while_writing(poll)
    assert Ballot.objects.filter(poll=poll).count() == published
    results = poll_results(poll)
    assert results.ballots == 4
    assert results.rows[0].votes == 4
    assert poll_results(poll).ballots == 4

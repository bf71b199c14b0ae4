"""Our groups against the groups Polis itself recorded for two real conversations.

Polis's group-id is the end of a long history of incremental updates (each k-means starts
from the previous clusters), which a single computation cannot retrace. The thresholds are
set just under what we measured (see docs/opinion-map.md), so a regression shows.
"""

import csv

import numpy as np
import pytest

from koproduktion.opinions.polis_export import SAMPLE_CONVERSATIONS, read_polis_export
from koproduktion.opinions.polismath import adjusted_rand_index, compute
from koproduktion.opinions.polismath.replay import POLIS_POLL_MS, replay

DATA = SAMPLE_CONVERSATIONS


def _ari_against_polis(export, pids, result):
    ours = {int(pids[i]): int(result.participant_group[i]) for i in result.in_conv}
    common = sorted(set(export.group_ids) & set(ours))
    polis = np.array([export.group_ids[p] for p in common])
    return adjusted_rand_index(polis, np.array([ours[p] for p in common])), len(common)


def _single_batch(name):
    export = read_polis_export(DATA / name)
    matrix, pids, sids, mod_out = export.vote_matrix()
    result = compute(matrix, participant_ids=pids, statement_ids=sids, moderated_out=mod_out)
    return export, pids, result


@pytest.mark.parametrize("name", ["15-per-hour-seattle", "vtaiwan.uberx"])
def test_rows_are_in_the_order_of_polis_own_matrix(name):
    """Polis writes participants-votes.csv from its matrix, row by row; ours has the same order."""
    export = read_polis_export(DATA / name)
    _matrix, pids, _sids, _mod_out = export.vote_matrix()
    with (DATA / name / "participants-votes.csv").open(newline="", encoding="utf-8") as f:
        polis_rows = [int(row["participant"]) for row in csv.DictReader(f)]
    assert pids.tolist() == polis_rows


def test_seattle_clusters_exactly_the_participants_polis_clustered():
    export, pids, result = _single_batch("15-per-hour-seattle")
    assert set(pids[result.in_conv].tolist()) == set(export.group_ids)
    assert result.k == len(set(export.group_ids.values())) == 2


def test_seattle_single_batch():
    export, pids, result = _single_batch("15-per-hour-seattle")
    ari, n = _ari_against_polis(export, pids, result)
    assert n == 138
    assert ari >= 0.54  # measured 0.563


def _replayed(name, min_interval_ms):
    export = read_polis_export(DATA / name)
    mod_ids = np.array([s.id for s in export.statements if s.moderated_out])
    run = replay(
        export.participant,
        export.statement,
        export.value,
        export.timestamp,
        min_interval_ms=min_interval_ms,
        moderated_out_ids=mod_ids,
    )
    return export, run


def test_seattle_replayed_hourly():
    export, run = _replayed("15-per-hour-seattle", 60 * 60 * 1000)
    ari, n = _ari_against_polis(export, run.participant_ids, run.result)
    assert run.updates == 348
    assert n == 138
    assert ari >= 0.85  # measured 0.884


def test_vtaiwan_single_batch():
    export, pids, result = _single_batch("vtaiwan.uberx")
    ari, n = _ari_against_polis(export, pids, result)
    # Polis also clusters one participant with a single vote, kept from the conversation's
    # first minutes (the top-up to 15); only a replay of the history recovers that.
    assert len(set(export.group_ids) - set(pids[result.in_conv].tolist())) == 1
    assert n == 1218
    assert result.k == 2
    assert ari >= 0.92  # measured 0.929


def test_seattle_replayed_at_polis_poll_interval():
    """The votes replayed at Polis's own cadence (1 s, `polismath.replay`); see the docs."""
    export, run = _replayed("15-per-hour-seattle", POLIS_POLL_MS)
    ari, n = _ari_against_polis(export, run.participant_ids, run.result)
    assert n == 138
    # Six early participants admitted by the top-up to 15 stay clustered; Polis has none of them.
    assert len(run.result.in_conv) == 144
    assert ari >= 0.54  # measured 0.563

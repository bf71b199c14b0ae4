"""Sealing the ballots that wait in a poll's pool.

The pool is one row per poll holding every ballot cast but not yet counted, encrypted together
with AES-GCM under a key derived from SECRET_KEY and the poll's id — a key the database does not
hold, so its tables, dead rows, WAL and backups show ciphertext only. Each ballot takes the same
number of bytes (one 32-bit value per option of the poll, 0 where the option is not on it), so
the length of the pool tells how many ballots wait, never what they say or how many crosses
they carry. The pool is sealed anew, in a fresh random order and with a fresh nonce, by every
vote, so not even someone who holds the key can tell from one copy which entry came last.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping

from koproduktion.core import sealing

_SALT = "koproduktion.decisions.sealing"
_HEADER = struct.Struct(">II")  # how many options, how many ballots

Ballot = dict[int, int]  # option id → value (1 for a cross, the points, or the rank)


class PoolUnreadable(RuntimeError):
    """The pool was sealed under a SECRET_KEY that is neither the current one nor one of
    SECRET_KEY_FALLBACKS: rotate keys by keeping the old one there until every poll has closed."""


def _context(poll_id: int) -> bytes:
    # A pool copied to another poll's row does not open there.
    return f"koproduktion ballot pool {poll_id}".encode()


def seal(*, poll_id: int, option_ids: Iterable[int], ballots: Iterable[Mapping[int, int]]) -> bytes:
    """The ballots, in the order given, sealed; values for options not in ``option_ids`` are
    dropped (an option deleted meanwhile)."""
    ids = sorted(option_ids)
    ballots = list(ballots)
    row = struct.Struct(f">{len(ids)}I")
    plain = bytearray(_HEADER.pack(len(ids), len(ballots)))
    plain += struct.pack(f">{len(ids)}Q", *ids)
    for ballot in ballots:
        plain += row.pack(*(ballot.get(option_id, 0) for option_id in ids))
    return sealing.seal(
        bytes(plain), salt=_SALT, label=f"pool:{poll_id}", context=_context(poll_id)
    )


def unseal(*, poll_id: int, sealed: bytes | memoryview) -> list[Ballot]:
    sealed = bytes(sealed)
    if not sealed:
        return []
    try:
        plain = sealing.unseal(
            sealed, salt=_SALT, label=f"pool:{poll_id}", context=_context(poll_id)
        ).plain
    except sealing.Unreadable as error:
        raise PoolUnreadable(
            f"The ballot pool of poll {poll_id} does not open with SECRET_KEY."
        ) from error
    options, count = _HEADER.unpack_from(plain)
    ids = struct.unpack_from(f">{options}Q", plain, _HEADER.size)
    row = struct.Struct(f">{options}I")
    start = _HEADER.size + 8 * options
    return [
        {
            option_id: value
            for option_id, value in zip(
                ids, row.unpack_from(plain, start + n * row.size), strict=True
            )
            if value
        }
        for n in range(count)
    ]

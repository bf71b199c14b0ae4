"""Polis-style opinion-map math ("Meinungsbild"): arrays in, arrays out, no Django.

Entry points: build the matrix with `build_vote_matrix` (or `VoteMatrix.from_arrays`), then
`compute(...)`; pass the previous result's `state` back in to continue a conversation the way
Polis does. See docs/opinion-map.md for the method and every deviation from Polis.
"""

from .pipeline import compute, in_conversation
from .quality import adjusted_rand_index
from .repness import ConsensusStatement, RepStatement
from .result import BaseClusters, Group, OpinionMapResult
from .state import PolisState
from .votes import VoteMatrix, build_vote_matrix, latest_vote_rows

__all__ = [
    "BaseClusters",
    "ConsensusStatement",
    "Group",
    "OpinionMapResult",
    "PolisState",
    "RepStatement",
    "VoteMatrix",
    "adjusted_rand_index",
    "build_vote_matrix",
    "compute",
    "in_conversation",
    "latest_vote_rows",
]

"""Writes of the decision stage: verification, ballots, recorded decisions."""

from .records import decision_record, decision_update
from .verification import (
    code_batch_create,
    code_redeem,
    verification_grant,
    verifications_forget,
)
from .voting import (
    ballot_cast,
    ballot_pool_flush,
    option_add,
    option_delete,
    option_update,
    poll_create,
    poll_has_ballots,
    poll_update,
)

__all__ = [
    "ballot_cast",
    "ballot_pool_flush",
    "code_batch_create",
    "code_redeem",
    "decision_record",
    "decision_update",
    "option_add",
    "option_delete",
    "option_update",
    "poll_create",
    "poll_has_ballots",
    "poll_update",
    "verification_grant",
    "verifications_forget",
]

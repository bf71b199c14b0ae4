"""Writes of initiatives: start, edit, move through the states, support, join; the partner
department's answer; needs and offers.

An initiative's state changes only under its row lock (SELECT … FOR UPDATE) and only along
``models.TRANSITIONS``; every change leaves a ``StateChange`` with its reason. Supports keep
``Initiative.support_count`` with F() updates in the same transaction as the support row, and
accepted offers keep ``Need.accepted_count`` under the need's row lock, so counts stay right
when people act at once.

What residents do (start, support, join, offer) is not the administration's and stays out of
its log; what staff do (accept, decline) and initiators' decisions on others are logged.
"""

from .common import INITIATORS_ONLY, TEXT_FIELDS, initiative_url
from .lifecycle import (
    initiative_accept,
    initiative_decline,
    initiative_publish,
    initiative_request_partner,
    initiative_start,
    initiative_update,
    initiative_withdraw,
)
from .needs import need_add, need_offer, offer_accept, offer_decline, offer_withdraw
from .people import (
    initiative_join,
    initiative_support,
    initiative_unsupport,
    initiator_accept,
    initiator_decline,
    initiator_leave,
)
from .release import initiator_contacts_clear, offers_release, supports_release

__all__ = [
    "INITIATORS_ONLY",
    "TEXT_FIELDS",
    "initiative_accept",
    "initiative_decline",
    "initiative_join",
    "initiative_publish",
    "initiative_request_partner",
    "initiative_start",
    "initiative_support",
    "initiative_unsupport",
    "initiative_update",
    "initiative_url",
    "initiative_withdraw",
    "initiator_accept",
    "initiator_contacts_clear",
    "initiator_decline",
    "initiator_leave",
    "need_add",
    "need_offer",
    "offer_accept",
    "offer_decline",
    "offer_withdraw",
    "offers_release",
    "supports_release",
]

"""How a recorded decision's status change reads (``ideas.status_reasons``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koproduktion.ideas.status_reasons import status_reason

from .models import Body, Decision, Outcome

DECISION = "decision"


def decision_reason_params(decision: Decision) -> dict[str, Any]:
    """What the status change keeps of ``decision`` to word its reason later."""
    return {
        "decision": decision.pk,
        "body": decision.body,
        "body_name": decision.body_name,
        "date": decision.decided_on.isoformat(),
        "outcome": decision.outcome,
    }


@status_reason(DECISION)
def decision_reason(params: dict[str, Any]) -> str:
    """ "Verkehrsausschuss, 20. November 2026: beschlossen." in the reader's language (the
    body's own name as the town wrote it)."""
    return _("%(body)s, %(date)s: %(outcome)s.") % {
        "body": params.get("body_name") or Body(params["body"]).label,
        "date": date_format(datetime.date.fromisoformat(params["date"]), "DATE_FORMAT"),
        "outcome": Outcome(params["outcome"]).label,
    }

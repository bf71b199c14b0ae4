"""Writes of the council's part: whether the council's clerk records its decisions.

The decisions themselves are recorded by ``decisions.services.decision_record`` (body: the
council), which asks ``decisions.can_record_council``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.accounts.models import User
from koproduktion.core.audit import audited
from koproduktion.core.models import Municipality
from koproduktion.core.permissions import require
from koproduktion.core.services import municipality_content_changed


@transaction.atomic
@audited(
    gettext_lazy("Eintragen der Ratsbeschlüsse geregelt"),
    target="municipality",
    fields=["council_records_decisions"],
)
def municipality_council_recording_set(
    *, actor: User, municipality: Municipality, allowed: bool
) -> Municipality:
    """Let the council's clerk record the council's decisions from the agenda, or not."""
    require(
        "council.can_set_recording",
        actor,
        municipality,
        _("Das regeln die Admins der Kommune."),
    )
    Municipality.objects.filter(pk=municipality.pk).update(council_records_decisions=allowed)
    municipality.council_records_decisions = allowed
    # Pages read the town as kept per its version (projects.selectors.published_project_get).
    municipality_content_changed(municipality_id=municipality.pk)
    return municipality

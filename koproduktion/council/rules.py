"""Who reads the council's agenda, who records the council's decisions from it, and who decides
whether the council's clerk may.

- the agenda: the town's council members and clerks, and those who prepare the council's
  business (staff, coordination, the town's admins), and platform admins;
- recording the council's decision from the agenda: the rule ``decisions.can_record_council``
  (the administration, or the clerk where ``Municipality.council_records_decisions`` is set);
- that setting: the town's admins and platform admins.
"""

from __future__ import annotations

import rules

from koproduktion.core.roles import AGENDA_ROLES
from koproduktion.core.rules import can_manage_municipality, has_role, is_platform_admin

# (user, municipality)
rules.add_rule("council.can_view_agenda", is_platform_admin | has_role(*AGENDA_ROLES))
# (user, municipality)
rules.add_rule("council.can_set_recording", can_manage_municipality)

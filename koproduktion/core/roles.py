"""The roles a person can hold in a municipality.

Roles are per municipality: one person may be a resident of one town and staff of another.
The platform admin is not a role here but ``User.is_superuser``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    RESIDENT = "resident", _("Bürger*in")
    ORGANISATION = "organisation", _("Vertretung einer Organisation")
    STAFF = "staff", pgettext_lazy("role", "Verwaltung")
    # Cross-cutting staff (Bürgerbeteiligung, the mayor's office): acts on all of the town's
    # projects and sees every department's inbox, without belonging to a department.
    COORDINATION = "coordination", _("Koordination")
    MODERATOR = "moderator", _("Moderation")
    COUNCIL = "council", _("Ratsmitglied")
    # Keeps the council's record (Schriftführung, often the Ratsbüro): records the council's
    # decisions on the site where the municipality lets the council do so
    # (``Municipality.council_records_decisions``); sees the council's agenda.
    CLERK = "clerk", _("Schriftführung des Rats")
    ADMIN = "admin", _("Kommunen-Admin")


# Roles that work for the municipality and may see and edit its drafts.
ADMINISTRATION_ROLES = frozenset({Role.STAFF, Role.COORDINATION, Role.ADMIN})
# Roles that see every department's inbox of their municipality.
ALL_INBOXES_ROLES = frozenset({Role.COORDINATION, Role.ADMIN})
# Roles that act on every project of their municipality (staff only on their departments').
PROJECT_WIDE_ROLES = frozenset({Role.COORDINATION, Role.ADMIN})
# Roles that a municipality can require two-factor log-in for (Municipality.require_two_factor).
TWO_FACTOR_ROLES = frozenset(
    {Role.STAFF, Role.COORDINATION, Role.MODERATOR, Role.CLERK, Role.ADMIN}
)
# Roles that hold an office in the municipality: only its admins (and platform admins) warn or
# block people holding one, never its moderators (moderation.rules).
OFFICE_ROLES = frozenset(
    {Role.STAFF, Role.COORDINATION, Role.MODERATOR, Role.COUNCIL, Role.CLERK, Role.ADMIN}
)
# Roles whose header shows the council's agenda (council.selectors.agenda_counts).
COUNCIL_ROLES = frozenset({Role.COUNCIL, Role.CLERK})
# Roles that read the council's agenda: the council and those who prepare its business.
AGENDA_ROLES = COUNCIL_ROLES | ADMINISTRATION_ROLES
# Every role takes part in the public process of its municipality.
PARTICIPANT_ROLES = frozenset(Role)

"""Who may do what in a project: the person's role combined with the project's phase.

One rule per capability (``projects.can_contribute``, ``projects.can_vote``, …), generated from
the phase-capability registry so that a new capability is declared in one place. Views, the API
and templates all ask these rules.
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import PARTICIPANT_ROLES, PROJECT_WIDE_ROLES, Role
from koproduktion.core.rules import (
    can_administer,
    has_confirmed_email,
    has_role,
    is_blocked,
    is_platform_admin,
    staff_departments,
    works_in_a_department_of,
)

from .capabilities import Capability, phase_allows
from .models import Project


@rules.predicate
def is_published(user: Any, project: Any) -> bool:
    return project is not None and project.is_published


def phase_permits(capability: Capability) -> rules.Predicate:
    @rules.predicate(f"phase_permits:{capability.value}")
    def predicate(user: Any, project: Any) -> bool:
        return project is not None and phase_allows(project.phase, capability)

    return predicate


# A participant: confirmed address, a role in the municipality, and not blocked there.
is_participant = has_confirmed_email & has_role(*PARTICIPANT_ROLES) & ~is_blocked


@rules.predicate
def in_public_town(user: Any, project: Any) -> bool:
    return project is not None and project.municipality.is_public


@rules.predicate
def works_on_project(user: Any, project: Any) -> bool:
    """Staff of the project's lead department or of one of its involved departments (asked of
    a town: of one of its departments, as for creating a project there)."""
    departments = staff_departments(user)
    if project is None or not departments:
        return False
    if not isinstance(project, Project):
        return works_in_a_department_of.test(user, project)
    if project.department_id in departments:
        return True
    return project.involved_departments.filter(pk__in=departments).exists()


# The coordination and the town's admins act on all of the town's projects, platform admins on
# every project; staff on the projects their departments lead or are involved in.
manages_all_projects = is_platform_admin | has_role(*PROJECT_WIDE_ROLES)
can_manage = manages_all_projects | (has_role(Role.STAFF) & works_on_project)
# (user, municipality): may set up a project there (staff pick one of their departments to lead).
can_create = manages_all_projects | (has_role(Role.STAFF) & works_in_a_department_of)
can_view = is_published | can_manage
# What reaches someone by its own address, without the town's pages around it (an uploaded file):
# the town's visibility is asked too, which the pages ask first (``municipality_get``).
can_view_in_town = (is_published & in_public_town) | can_manage


@rules.predicate
def manages_project_of(user: Any, obj: Any) -> bool:
    """``projects.can_manage`` for the project a record belongs to (a poll, a task, a decision),
    or the project itself; a record of no project (a decision of the town) is the town's
    administration's, as is the town itself (the form that records one)."""
    if obj is None:
        return False
    project = obj if isinstance(obj, Project) else getattr(obj, "project", obj)
    if isinstance(project, Project):
        return can_manage.test(user, project)
    return can_administer.test(user, obj)


@rules.predicate
def document_visible(user: Any, document: Any) -> bool:
    return can_view_in_town.test(user, document.project)


rules.add_rule("projects.can_view", can_view)
rules.add_rule("projects.can_view_in_town", can_view_in_town)
rules.add_rule("projects.can_view_document", document_visible)
rules.add_rule("projects.can_manage", can_manage)
rules.add_rule("projects.can_create", can_create)
rules.add_rule("projects.manages_project_of", manages_project_of)
for _capability in Capability:
    rules.add_rule(
        f"projects.can_{_capability.value}",
        is_published & is_participant & phase_permits(_capability),
    )


def capability_rule(capability: Capability) -> str:
    """The name of the rule that guards ``capability``."""
    return f"projects.can_{capability.value}"


def refusal_reason(user: Any, project: Any, capability: Capability) -> str | None:  # noqa: PLR0911 - one answer per step of the rule
    """Why ``user`` may not use ``capability`` in ``project``, in words; None when they may.

    Mirrors the capability rule step by step, so that a refusal names the step that failed.
    """
    from django.utils.translation import gettext as _  # noqa: PLC0415

    from koproduktion.core.rules import blocked_municipality_ids, roles_by_municipality  # noqa: PLC0415

    from .capabilities import PhaseKind  # noqa: PLC0415

    if rules.test_rule(capability_rule(capability), user, project):
        return None
    if not project.is_published:
        return _("Dieses Vorhaben ist noch nicht veröffentlicht.")
    if not phase_allows(project.phase, capability):
        return _("In der Phase „%(phase)s“ ist das nicht möglich.") % {
            "phase": PhaseKind(project.phase).label
        }
    if not getattr(user, "is_authenticated", False):
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if not getattr(user, "email_confirmed_at", None):
        return _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse.")
    if project.municipality_id in blocked_municipality_ids(user):
        return _("Ihr Konto ist in dieser Kommune zurzeit gesperrt.")
    if not roles_by_municipality(user).get(project.municipality_id):
        return _("Mitmachen können alle, die in dieser Kommune registriert sind.")
    return _("Das ist Ihnen hier nicht erlaubt.")

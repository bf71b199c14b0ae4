"""An initiative's way: start, edit, publish, ask for a partner, withdraw; the partner
department's answer (accept with a project, or decline with reasons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import (
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Topic,
)
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.roles import Role
from koproduktion.core.rules import staff_departments
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.rules import manages_all_projects
from koproduktion.projects.services import (
    PlannedPhase,
    project_create,
    timeline_set,
)

from ..models import (
    EDITABLE_STATES,
    TRANSITIONS,
    Initiative,
    Initiator,
    State,
    StateChange,
)
from .common import (
    INITIATORS_ONLY,
    TEXT_FIELDS,
    _check_organisation,
    _locked,
    _move,
    _people,
    _unique_slug,
    initiative_url,
)

if TYPE_CHECKING:
    from koproduktion.accounts.models import User


@transaction.atomic
def initiative_start(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    summary: str,
    why: str,
    help_needed: str = "",
    neighbourhood: Neighbourhood | None = None,
    topic: Topic | None = None,
    organisation: Organisation | None = None,
    contact: str = "",
    publish: bool = True,
    ip: str = "",
) -> Initiative:
    """A new initiative with ``actor`` as its starter; ``publish`` puts it up for support at
    once, otherwise it stays a draft only its initiators see."""
    require(
        "initiatives.can_start",
        actor,
        municipality,
        _("Initiativen starten alle, die in dieser Kommune registriert und bestätigt sind."),
    )
    check_rate(action="initiative", user=actor, ip=ip)
    _check_organisation(actor, organisation, "organisation")
    initiative = Initiative(
        municipality=municipality,
        title=title.strip(),
        slug=_unique_slug(municipality, title),
        summary=summary.strip(),
        why=why.strip(),
        help_needed=help_needed.strip(),
        neighbourhood=neighbourhood,
        topic=topic,
        organisation=organisation,
        contact=contact.strip(),
        created_by=actor,
    )
    initiative.full_clean()
    initiative.save()
    Initiator.objects.create(
        initiative=initiative,
        municipality=municipality,
        user=actor,
        is_starter=True,
        accepted_at=timezone.now(),
    )
    StateChange.objects.create(
        initiative=initiative,
        municipality=municipality,
        old_state="",
        new_state=State.DRAFT,
        changed_by=actor,
    )
    if publish:
        _move(initiative, to=State.COLLECTING, actor=actor)
        initiative.save(update_fields=["state"])
    return initiative


@transaction.atomic
def initiative_update(*, actor: User, initiative: Initiative, **fields: object) -> Initiative:
    """Change the texts, place and topic (``TEXT_FIELDS``) while the initiative is open."""
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    if locked.state not in EDITABLE_STATES:
        raise ValidationError(
            _("Im Stand „%(state)s“ lässt sich die Initiative nicht mehr ändern.")
            % {"state": State(locked.state).label}
        )
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def initiative_publish(*, actor: User, initiative: Initiative) -> Initiative:
    """From draft to collecting support: everyone sees it now."""
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    _move(locked, to=State.COLLECTING, actor=actor)
    locked.save(update_fields=["state", "updated_at"])
    return locked


@transaction.atomic
def initiative_request_partner(*, actor: User, initiative: Initiative) -> Initiative:
    """Ask the administration for a partner department, once enough people support it. The
    coordination, the admins and the staff of the topic's department hear of it."""
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    threshold = locked.municipality.initiative_threshold
    if locked.state == State.COLLECTING and locked.support_count < threshold:
        raise ValidationError(
            _("Dafür braucht die Initiative %(needed)d Unterstützer*innen; sie hat %(count)d.")
            % {"needed": threshold, "count": locked.support_count},
            code="threshold",
        )
    _move(locked, to=State.REQUESTED, actor=actor)
    locked.save(update_fields=["state", "updated_at"])
    reviewers = Membership.objects.filter(
        municipality_id=locked.municipality_id, role__in=[Role.COORDINATION, Role.ADMIN]
    ).values_list("user_id", flat=True)
    staff: list[int] = []
    if locked.topic_id and locked.topic.department_id:
        staff = list(
            Membership.objects.filter(
                municipality_id=locked.municipality_id,
                role=Role.STAFF,
                departments=locked.topic.department_id,
            ).values_list("user_id", flat=True)
        )
    title = locked.title
    notify(
        user_ids=[*reviewers, *staff],
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _("Die Initiative „%(title)s“ sucht einen Partner-Fachbereich.") % {"title": title}
        ),
        url=reverse("initiatives:review", args=[locked.municipality.slug, locked.slug]),
        exclude=[actor.pk],
    )
    return locked


@transaction.atomic
def initiative_withdraw(*, actor: User, initiative: Initiative, reason: str = "") -> Initiative:
    """The initiators give up; supporters are told, with the reason if one is given."""
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    _move(locked, to=State.WITHDRAWN, actor=actor, reason=reason.strip())
    locked.save(update_fields=["state", "updated_at"])
    title = locked.title
    notify(
        user_ids=_people(locked),
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: _("Die Initiative „%(title)s“ ist zurückgezogen.") % {"title": title},
        url=initiative_url(locked),
        exclude=[actor.pk],
    )
    return locked


def _check_partner(actor: User, initiative: Initiative, department: Department) -> None:
    if department.municipality_id != initiative.municipality_id:
        raise ValidationError({"department": _("Gehört zu einer anderen Kommune.")})
    if not manages_all_projects.test(actor, initiative.municipality) and (
        department.pk not in staff_departments(actor)
    ):
        raise ValidationError(
            {"department": _("Bitte wählen Sie einen Ihrer eigenen Fachbereiche als Partner.")}
        )


@transaction.atomic
@audited(
    gettext_lazy("Initiative als Partner angenommen"),
    target="initiative",
    fields=("state", "partner_department", "contact_person", "project"),
)
def initiative_accept(
    *, actor: User, initiative: Initiative, department: Department, contact_person: User
) -> Project:
    """``department`` becomes the initiative's partner with ``contact_person`` (staff of that
    department) as its named contact. A draft project is set up from the initiative, led by the
    department, with a first phase from today; initiators and supporters are told."""
    require(
        "initiatives.can_review",
        actor,
        initiative,
        _("Anfragen von Initiativen beantworten die Fachbereiche und die Koordination."),
    )
    locked = _locked(initiative)
    if State.ACCEPTED not in TRANSITIONS[locked.state]:
        _move(locked, to=State.ACCEPTED, actor=actor)  # refuses, naming both states
    _check_partner(actor, locked, department)
    if not Membership.objects.filter(
        user=contact_person,
        municipality_id=locked.municipality_id,
        role=Role.STAFF,
        departments=department,
    ).exists():
        raise ValidationError(
            {
                "contact_person": _(
                    "Die Ansprechperson muss im Fachbereich „%(department)s“ arbeiten."
                )
                % {"department": department.name}
            }
        )
    description = "\n\n".join(
        part
        for part in (
            locked.why,
            f"**{_('Welche Hilfe gebraucht wird')}**\n\n{locked.help_needed}"
            if locked.help_needed
            else "",
        )
        if part
    )
    project = project_create(
        actor=actor,
        municipality=locked.municipality,
        title=locked.title,
        summary=locked.summary,
        description=description,
        topic=locked.topic,
        neighbourhood=locked.neighbourhood,
        department=department,
    )
    timeline_set(
        actor=actor,
        project=project,
        plan={PhaseKind.INFORMATION: PlannedPhase(starts_on=timezone.localdate())},
    )
    _move(locked, to=State.ACCEPTED, actor=actor)
    locked.project = project
    locked.partner_department = department
    locked.contact_person = contact_person
    locked.save()
    title, name = locked.title, department.name
    notify(
        user_ids=_people(locked),
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _(
                "Gute Nachricht: „%(title)s“ wird ein Vorhaben, mit dem Fachbereich %(department)s "
                "als Partner."
            )
            % {"title": title, "department": name}
        ),
        url=initiative_url(locked),
        exclude=[actor.pk],
    )
    initiative.refresh_from_db()
    return project


@transaction.atomic
@audited(
    gettext_lazy("Initiative als Partner abgelehnt"),
    target="initiative",
    fields=("state", "decline_reason"),
)
def initiative_decline(*, actor: User, initiative: Initiative, reason: str) -> Initiative:
    """No partner department: the public reason stands on the initiative's page."""
    require(
        "initiatives.can_review",
        actor,
        initiative,
        _("Anfragen von Initiativen beantworten die Fachbereiche und die Koordination."),
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Bitte begründen Sie die Absage; die Begründung ist öffentlich.")}
        )
    locked = _locked(initiative)
    _move(locked, to=State.DECLINED, actor=actor, reason=reason)
    locked.decline_reason = reason
    locked.save(update_fields=["state", "decline_reason", "updated_at"])
    title = locked.title
    notify(
        user_ids=_people(locked),
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _("Die Verwaltung kann bei „%(title)s“ nicht Partner sein: %(reason)s")
            % {"title": title, "reason": reason}
        ),
        url=initiative_url(locked),
        exclude=[actor.pk],
    )
    initiative.refresh_from_db()
    return locked

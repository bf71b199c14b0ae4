"""Writes of projects, their timeline and documents. Each runs in one transaction.

Each raises the content version of the pages it changes: the municipality's for what the town's
project lists show (and with it every page of the town), the project's for its own pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import Department, Municipality, Neighbourhood, Topic
from koproduktion.core.permissions import require
from koproduktion.core.rules import staff_departments
from koproduktion.core.services import municipality_content_changed
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import followers, notify

from .capabilities import PhaseKind, next_phase
from .models import Document, Phase, PhaseChange, Project
from .rules import manages_all_projects

if TYPE_CHECKING:
    from koproduktion.accounts.models import User

# What the workspace edits and the log compares (not the derived versions and time stamps).
EDITABLE = (
    "title",
    "summary",
    "description",
    "phase",
    "topic",
    "neighbourhood",
    "department",
    "involved_departments",
    "cost_estimate_cents",
    "next_decision_date",
    "is_published",
)
MANAGE_REFUSAL = gettext_lazy(
    "Dieses Vorhaben verwalten seine Fachbereiche, die Koordination und die Admins der Kommune."
)


def _acts(kwargs: Mapping[str, Any]) -> bool:
    """``when`` of the audit: a person acts (the workspace); without one, the demo data or an
    import fill the town and nobody is to be named."""
    return kwargs.get("actor") is not None


def _check_lead(
    actor: User | None,
    municipality: Municipality,
    department: Department | None,
    involved: Iterable[Department] = (),
) -> None:
    """Departments must be the town's own; staff lead with one of their own departments."""
    if department is not None and department.municipality_id != municipality.pk:
        raise ValidationError({"department": _("Gehört zu einer anderen Kommune.")})
    if any(other.municipality_id != municipality.pk for other in involved):
        raise ValidationError({"involved_departments": _("Gehört zu einer anderen Kommune.")})
    if actor is None or manages_all_projects.test(actor, municipality):
        return
    if department is None or department.pk not in staff_departments(actor):
        raise ValidationError(
            {"department": _("Bitte wählen Sie einen Ihrer eigenen Fachbereiche als federführend.")}
        )


def _unique_slug(municipality: Municipality, title: str) -> str:
    base = slugify(title)[:70] or "vorhaben"
    taken = set(
        Project.objects.filter(municipality=municipality, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
@audited(gettext_lazy("Vorhaben angelegt"), when=_acts)
def project_create(
    *,
    actor: User | None = None,
    municipality: Municipality,
    title: str,
    summary: str,
    description: str = "",
    plain_summary: str = "",
    slug: str = "",
    phase: PhaseKind = PhaseKind.INFORMATION,
    topic: Topic | None = None,
    neighbourhood: Neighbourhood | None = None,
    department: Department | None = None,
    involved_departments: Iterable[Department] = (),
    cost_estimate_cents: int | None = None,
    next_decision_date: datetime.date | None = None,
    is_published: bool = False,
) -> Project:
    """A new project; with an ``actor`` (the workspace) as that person, who must be allowed to
    create projects in the town and, as staff, lead with one of their own departments."""
    if actor is not None:
        require(
            "projects.can_create",
            actor,
            municipality,
            _("Vorhaben legen die Fachbereiche, die Koordination und die Admins der Kommune an."),
        )
    involved = list(involved_departments)
    _check_lead(actor, municipality, department, involved)
    project = Project(
        municipality=municipality,
        title=title,
        slug=slug or _unique_slug(municipality, title),
        summary=summary,
        description=description,
        plain_summary=plain_summary,
        phase=phase,
        topic=topic,
        neighbourhood=neighbourhood,
        department=department,
        cost_estimate_cents=cost_estimate_cents,
        next_decision_date=next_decision_date,
        is_published=is_published,
    )
    project.full_clean()
    project.save()
    project.involved_departments.set(involved)
    municipality_content_changed(municipality_id=municipality.pk)
    return project


@transaction.atomic
@audited(gettext_lazy("Vorhaben geändert"), target="project", fields=EDITABLE, when=_acts)
def project_update(*, actor: User | None = None, project: Project, **changes: Any) -> Project:
    """Change the given fields of ``project``; unknown field names are a programming error.

    With an ``actor``: only those who manage the project, and staff hand the lead only to one of
    their own departments. ``involved_departments`` takes a list of departments.
    """
    if actor is not None:
        require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))
    involved = changes.pop("involved_departments", None)
    new_lead = changes.get("department", project.department)
    lead_changed = (
        "department" in changes and getattr(new_lead, "pk", None) != project.department_id
    )
    _check_lead(actor if lead_changed else None, project.municipality, new_lead, involved or ())
    for name, value in changes.items():
        if not hasattr(project, name):
            raise TypeError(f"Project has no field {name!r}")
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if involved is not None:
        project.involved_departments.set(involved)
    # Title, summary, phase, topic, costs, dates and publication show on the town's lists.
    municipality_content_changed(municipality_id=project.municipality_id)
    return project


@transaction.atomic
@audited(gettext_lazy("Vorhaben veröffentlicht"), target="project", fields=("is_published",))
def project_publish(*, actor: User, project: Project) -> Project:
    """Make a draft public. It needs a timeline, so that people see where the project stands."""
    require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))
    if not project.phases.exists():
        raise ValidationError(
            _("Bitte legen Sie zuerst den Zeitplan an: Ein Vorhaben zeigt, wo es steht.")
        )
    return project_update(project=project, is_published=True)


@transaction.atomic
@audited(
    gettext_lazy("Veröffentlichung zurückgenommen"), target="project", fields=("is_published",)
)
def project_unpublish(*, actor: User, project: Project) -> Project:
    """Take a project back into draft: only those who manage it see it again."""
    require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))
    return project_update(project=project, is_published=False)


@dataclass(frozen=True)
class PlannedPhase:
    """One row of a project's timeline as the workspace's phase screen sends it."""

    starts_on: datetime.date
    ends_on: datetime.date | None = None
    description: str = ""


def timeline_errors(plan: Mapping[PhaseKind, PlannedPhase]) -> dict[str, str]:
    """What is wrong with a timeline, keyed ``<phase>_starts_on`` / ``<phase>_ends_on``.

    The phases follow the cycle's order: each ends on or after its start, and the next begins
    after the previous one ended (a phase's last day is its own). Only the last may stay open.
    """
    errors: dict[str, str] = {}
    planned = [(kind, plan[kind]) for kind in PhaseKind if plan.get(kind) is not None]
    previous: tuple[PhaseKind, PlannedPhase] | None = None
    for position, (kind, phase) in enumerate(planned):
        if phase.ends_on is not None and phase.ends_on < phase.starts_on:
            errors[f"{kind.value}_ends_on"] = str(_("Das Ende liegt vor dem Beginn."))
        elif phase.ends_on is None and position + 1 < len(planned):
            errors[f"{kind.value}_ends_on"] = str(_("Nur die letzte Phase darf ohne Ende bleiben."))
        if previous is not None:
            before_kind, before = previous
            if before.ends_on is not None and phase.starts_on <= before.ends_on:
                errors.setdefault(
                    f"{kind.value}_starts_on",
                    str(
                        _(
                            "Diese Phase beginnt, bevor die Phase „%(phase)s“ endet. Die Phasen "
                            "folgen aufeinander, ohne sich zu überschneiden."
                        )
                        % {"phase": before_kind.label}
                    ),
                )
        previous = (kind, phase)
    return errors


@transaction.atomic
@audited(gettext_lazy("Zeitplan festgelegt"), target="project", fields=())
def timeline_set(
    *, actor: User, project: Project, plan: Mapping[PhaseKind, PlannedPhase | None]
) -> list[Phase]:
    """Set the whole timeline at once: phases given are put on it, phases given as None are
    taken off. Checked as a whole before anything is stored (``timeline_errors``)."""
    require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))
    wanted = {kind: phase for kind, phase in plan.items() if phase is not None}
    if errors := timeline_errors(wanted):
        raise ValidationError(errors)
    Phase.objects.filter(project=project).exclude(kind__in=list(wanted)).delete()
    stored = [
        _store_phase(
            project=project,
            kind=kind,
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            description=phase.description,
        )
        for kind, phase in wanted.items()
    ]
    # The timeline shows on the project's page and, as its first and last date, on the lists.
    municipality_content_changed(municipality_id=project.municipality_id)
    return stored


def _store_phase(
    *,
    project: Project,
    kind: PhaseKind,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    description: str,
) -> Phase:
    phase = Phase.objects.filter(project=project, kind=kind).first() or Phase(
        project=project, municipality_id=project.municipality_id, kind=kind
    )
    phase.starts_on = starts_on
    phase.ends_on = ends_on
    phase.description = description
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def phase_schedule(
    *,
    project: Project,
    kind: PhaseKind,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
) -> Phase:
    """Put ``kind`` on the project's timeline, or move it if it is there already (the demo data;
    the workspace sets the whole timeline with ``timeline_set``)."""
    phase = _store_phase(
        project=project, kind=kind, starts_on=starts_on, ends_on=ends_on, description=description
    )
    municipality_content_changed(municipality_id=project.municipality_id)
    return phase


@transaction.atomic
@audited(gettext_lazy("Dokument hinzugefügt"), when=_acts)
def document_add(
    *,
    actor: User | None = None,
    project: Project,
    title: str,
    url: str = "",
    file: File | None = None,
) -> Document:
    """A document (a file whose content ``core.uploads`` checks) or a link, at the end of the
    list."""
    if actor is not None:
        require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))
    if bool(url) == bool(file):
        raise ValidationError(
            {"url": _("Bitte geben Sie entweder einen Link oder eine Datei an, nicht beides.")}
            if url
            else {"file": _("Bitte laden Sie eine Datei hoch oder geben Sie einen Link an.")}
        )
    document = Document(
        project=project,
        municipality_id=project.municipality_id,
        title=title,
        url=url,
        position=project.documents.count(),
    )
    if file is not None:
        document.file = file
    document.full_clean()
    document.save()
    project_content_changed(project_id=project.pk)
    return document


@transaction.atomic
@audited(gettext_lazy("Dokument entfernt"), target="document")
def document_remove(*, actor: User, document: Document) -> None:
    require("projects.can_manage", actor, document.project, str(MANAGE_REFUSAL))
    project_id = document.project_id
    document.delete()
    project_content_changed(project_id=project_id)


@transaction.atomic
@audited(
    gettext_lazy("Vorhaben in die nächste Phase gebracht"),
    target="project",
    fields=("phase",),
    reason="note",
)
def project_advance(*, actor: User, project: Project, note: str) -> PhaseChange:
    """Move ``project`` on to the next phase of the cycle, with a public note; the project's
    page shows it in its history and the project's followers are told."""
    require("projects.can_manage", actor, project, str(MANAGE_REFUSAL))
    project = Project.objects.select_for_update().get(pk=project.pk)
    following = next_phase(project.phase)
    if following is None:
        raise ValidationError(_("Das Vorhaben ist schon in der letzten Phase."))
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": _("Bitte sagen Sie öffentlich, was sich mit der neuen Phase ändert.")}
        )
    change = PhaseChange(
        municipality_id=project.municipality_id,
        project=project,
        from_phase=project.phase,
        to_phase=following,
        note=note,
    )
    change.full_clean()
    change.save()
    project_update(project=project, phase=following)
    _tell_followers(project, change, exclude=actor.pk)
    return change


def _tell_followers(project: Project, change: PhaseChange, *, exclude: int) -> None:
    notify(
        user_ids=followers(project=project),
        municipality_id=project.municipality_id,
        kind=Kind.PHASE,
        message=lambda: (
            _("„%(title)s“ ist jetzt in der Phase „%(phase)s“.")
            % {"title": project.title, "phase": PhaseKind(change.to_phase).label}
        ),
        url=reverse("projects:detail", args=[project.municipality.slug, project.slug]) + "#verlauf",
        exclude=[exclude],
    )


def project_content_changed(*, project_id: int, content: bool = True, counts: bool = False) -> None:
    """Note that the project's public pages changed, so cached copies are not served again.

    ``counts``: the support and comment counts of its ideas changed (``activity_version``);
    ``content=False`` when nothing else did (ideas.versions says which pages show what).
    """
    changes = {}
    if content:
        changes["content_version"] = F("content_version") + 1
    if counts:
        changes["activity_version"] = F("activity_version") + 1
    if changes:
        Project.objects.filter(pk=project_id).update(**changes)


def projects_content_changed(*, project_ids: Iterable[int] | QuerySet) -> None:
    """``project_content_changed`` for many projects at once (a queryset of ids is a subquery)."""
    Project.objects.filter(pk__in=project_ids).update(content_version=F("content_version") + 1)

"""Writes of projects, their timeline and documents. Each runs in one transaction.

Each raises the content version of the pages it changes: the municipality's for what the town's
project lists show (and with it every page of the town), the project's for its own pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify

from koproduktion.core.models import Department, Municipality, Neighbourhood, Topic
from koproduktion.core.services import municipality_content_changed

from .capabilities import PhaseKind
from .models import Document, Phase, Project


@transaction.atomic
def project_create(
    *,
    municipality: Municipality,
    title: str,
    summary: str,
    description: str = "",
    slug: str = "",
    phase: PhaseKind = PhaseKind.INFORMATION,
    topic: Topic | None = None,
    neighbourhood: Neighbourhood | None = None,
    department: Department | None = None,
    cost_estimate_cents: int | None = None,
    next_decision_date: datetime.date | None = None,
    is_published: bool = False,
) -> Project:
    project = Project(
        municipality=municipality,
        title=title,
        slug=slug or slugify(title)[:80],
        summary=summary,
        description=description,
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
    municipality_content_changed(municipality_id=municipality.pk)
    return project


@transaction.atomic
def project_update(*, project: Project, **changes: Any) -> Project:
    """Change the given fields of ``project``; unknown field names are a programming error."""
    for name, value in changes.items():
        if not hasattr(project, name):
            raise TypeError(f"Project has no field {name!r}")
        setattr(project, name, value)
    project.full_clean()
    project.save()
    # Title, summary, phase, topic, costs, dates and publication show on the town's lists.
    municipality_content_changed(municipality_id=project.municipality_id)
    return project


@transaction.atomic
def phase_schedule(
    *,
    project: Project,
    kind: PhaseKind,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
) -> Phase:
    """Put ``kind`` on the project's timeline, or move it if it is there already."""
    phase = Phase.objects.filter(project=project, kind=kind).first() or Phase(
        project=project, municipality_id=project.municipality_id, kind=kind
    )
    phase.starts_on = starts_on
    phase.ends_on = ends_on
    phase.description = description
    phase.full_clean()
    phase.save()
    # The timeline shows on the project's page and, as its first and last date, on the lists.
    municipality_content_changed(municipality_id=project.municipality_id)
    return phase


@transaction.atomic
def document_add(*, project: Project, title: str, url: str = "", file: Any = None) -> Document:
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

"""Projects, their planned phases and their phase changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koproduktion.core.links import absolute_url
from koproduktion.core.models import Municipality
from koproduktion.projects.models import Phase, PhaseChange

from ..datasets import Column, Dataset, register
from .common import (
    ID,
    NEIGHBOURHOOD,
    PHASE_KINDS,
    PROJECT_ID,
    TOPIC,
    URL,
    name_of,
    public_projects,
    slug_of,
)


def _projects(town: Municipality) -> Iterator[list[Any]]:
    for project in public_projects(town).select_related("topic", "neighbourhood", "department"):
        yield [
            project.pk,
            project.slug,
            project.title,
            project.summary,
            project.description,
            project.phase,
            slug_of(project.topic),
            slug_of(project.neighbourhood),
            name_of(project.department),
            project.cost_estimate_cents,
            project.next_decision_date,
            project.published_at,
            project.updated_at,
            absolute_url(reverse("projects:detail", args=[town.slug, project.slug])),
        ]


register(
    Dataset(
        name="projects",
        title=_("Vorhaben"),
        description=_("Die veröffentlichten Vorhaben der Kommune."),
        columns=(
            ID,
            Column("slug", "string", _("Kurzname in der Adresse.")),
            Column("title", "string", _("Titel.")),
            Column("summary", "string", _("Kurzbeschreibung.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("phase", "string", _("Aktuelle Phase: %(kinds)s") % {"kinds": PHASE_KINDS}),
            TOPIC,
            NEIGHBOURHOOD,
            Column("department", "string", _("Federführender Fachbereich.")),
            Column("cost_estimate_cents", "integer", _("Geschätzte Kosten in Cent.")),
            Column("next_decision_date", "date", _("Nächster Entscheidungstermin.")),
            Column("published_at", "datetime", _("Zuerst veröffentlicht (UTC).")),
            Column("updated_at", "datetime", _("Zuletzt geändert (UTC).")),
            URL,
        ),
        rows=_projects,
        source=public_projects,
        stamp=(Count("pk"), Max("updated_at"), Sum("content_version")),
    )
)


def _phases(town: Municipality) -> Iterator[list[Any]]:
    phases = Phase.objects.filter(municipality=town, project__is_published=True)
    for phase in phases.order_by("project_id", "starts_on", "pk"):
        yield [
            phase.pk,
            phase.project_id,
            phase.kind,
            phase.starts_on,
            phase.ends_on,
            phase.description,
        ]


register(
    Dataset(
        name="phases",
        title=_("Phasen"),
        description=_("Der Zeitplan jedes Vorhabens: die geplanten Phasen."),
        columns=(
            ID,
            PROJECT_ID,
            Column("kind", "string", _("Phase: %(kinds)s") % {"kinds": PHASE_KINDS}),
            Column("starts_on", "date", _("Geplanter Beginn.")),
            Column("ends_on", "date", _("Geplantes Ende; leer, wenn offen.")),
            Column("description", "string", _("Was in dieser Phase geschieht.")),
        ),
        rows=_phases,
        source=lambda town: Phase.objects.filter(municipality=town, project__is_published=True),
        stamp=(Count("pk"), Max("pk")),
    )
)


def _phase_changes(town: Municipality) -> Iterator[list[Any]]:
    changes = PhaseChange.objects.filter(municipality=town, project__is_published=True)
    for change in changes.order_by("changed_at", "pk"):
        yield [change.pk, change.project_id, change.from_phase, change.to_phase, change.note,
               change.changed_at]  # fmt: skip


register(
    Dataset(
        name="phase_changes",
        title=_("Phasenwechsel"),
        description=_("Wann ein Vorhaben in die nächste Phase ging, mit der öffentlichen Notiz."),
        columns=(
            ID,
            PROJECT_ID,
            Column("from_phase", "string", _("Bisherige Phase.")),
            Column("to_phase", "string", _("Neue Phase.")),
            Column("note", "string", _("Öffentliche Notiz der Verwaltung.")),
            Column("changed_at", "datetime", _("Zeitpunkt des Wechsels (UTC).")),
        ),
        rows=_phase_changes,
        source=lambda town: PhaseChange.objects.filter(
            municipality=town, project__is_published=True
        ),
        stamp=(Count("pk"), Max("pk")),
    )
)

"""Projects, their planned phases and their phase changes."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.projects.models import Phase, PhaseChange, Project

from ..datasets import Column, Dataset, register
from .common import (
    ID,
    NEIGHBOURHOOD,
    PROJECT_ID,
    TOPIC,
    name_column,
    public_projects,
    url_column,
)


def _projects(town: Municipality) -> QuerySet[Project]:
    return public_projects(town).select_related("topic", "neighbourhood", "department")


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
            Column(
                "phase",
                "string",
                _(
                    "Aktuelle Phase: information, dialogue, decision, implementation oder "
                    "evaluation."
                ),
            ),
            TOPIC,
            NEIGHBOURHOOD,
            name_column("department", _("Federführender Fachbereich."), of="department"),
            Column("cost_estimate_cents", "integer", _("Geschätzte Kosten in Cent.")),
            Column("next_decision_date", "date", _("Nächster Entscheidungstermin.")),
            Column("published_at", "datetime", _("Zuerst veröffentlicht (UTC).")),
            Column("updated_at", "datetime", _("Zuletzt geändert (UTC).")),
            url_column("projects:detail", lambda project: project.slug),
        ),
        records=_projects,
        source=public_projects,
        stamp=(Count("pk"), Max("updated_at"), Sum("content_version")),
    )
)


def _phases(town: Municipality) -> QuerySet[Phase]:
    return Phase.objects.filter(municipality=town, project__is_published=True)


register(
    Dataset(
        name="phases",
        title=_("Phasen"),
        description=_("Der Zeitplan jedes Vorhabens: die geplanten Phasen."),
        columns=(
            ID,
            PROJECT_ID,
            Column(
                "kind",
                "string",
                _("Phase: information, dialogue, decision, implementation oder evaluation."),
            ),
            Column("starts_on", "date", _("Geplanter Beginn.")),
            Column("ends_on", "date", _("Geplantes Ende; leer, wenn offen.")),
            Column("description", "string", _("Was in dieser Phase geschieht.")),
        ),
        records=lambda town: _phases(town).order_by("project_id", "starts_on", "pk"),
        source=_phases,
        stamp=(Count("pk"), Max("pk")),
    )
)


def _phase_changes(town: Municipality) -> QuerySet[PhaseChange]:
    return PhaseChange.objects.filter(municipality=town, project__is_published=True)


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
        records=lambda town: _phase_changes(town).order_by("changed_at", "pk"),
        source=_phase_changes,
        stamp=(Count("pk"), Max("pk")),
    )
)

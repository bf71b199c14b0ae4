"""The implementation plan and its progress reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.implementation.models import Milestone, MilestoneStatus, Update
from koproduktion.projects.models import Project

from ..datasets import Column, Dataset, register
from .common import (
    ID,
    PROJECT_ID,
    name_of,
)


def _milestones(town: Municipality) -> Iterator[list[Any]]:
    milestones = Milestone.objects.filter(municipality=town, project__is_published=True)
    for milestone in milestones.select_related(
        "responsible_department", "responsible_organisation"
    ).order_by("project_id", "target_date", "pk"):
        yield [
            milestone.pk,
            milestone.project_id,
            milestone.title,
            milestone.description,
            milestone.target_date,
            milestone.status,
            milestone.percent_complete,
            milestone.weight,
            name_of(milestone.responsible_department),
            name_of(milestone.responsible_organisation),
            milestone.responsible_group,
            milestone.delay_reason if milestone.status == MilestoneStatus.DELAYED else "",
            milestone.completed_on,
        ]


register(
    Dataset(
        name="milestones",
        title=_("Meilensteine"),
        description=_("Die Schritte der Umsetzung, wer dafür einsteht und wie weit sie sind."),
        columns=(
            ID,
            PROJECT_ID,
            Column("title", "string", _("Titel.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("target_date", "date", _("Zieldatum.")),
            Column("status", "string", _("Stand: planned, in_progress, done oder delayed.")),
            Column("percent_complete", "integer", _("Fortschritt in Prozent.")),
            Column("weight", "integer", _("Gewicht im Fortschritt des Vorhabens.")),
            Column("responsible_department", "string", _("Verantwortlicher Fachbereich.")),
            Column("responsible_organisation", "string", _("Verantwortliche Organisation.")),
            Column("responsible_group", "string", _("Verantwortliche Gruppe von Bürger*innen.")),
            Column("delay_reason", "string", _("Grund der Verzögerung (nur bei delayed).")),
            Column("completed_on", "date", _("Erledigt am.")),
        ),
        rows=_milestones,
        source=lambda town: Project.objects.filter(municipality=town, is_published=True),
        # The plan's services raise the project's version (counted with the projects).
        stamp=(Count("milestones"),),
    )
)


def _updates(town: Municipality) -> Iterator[list[Any]]:
    updates = Update.objects.filter(municipality=town, project__is_published=True)
    for update in updates.order_by("created_at", "pk"):
        yield [
            update.pk,
            update.project_id,
            update.milestone_id,
            update.posted_as,
            update.text,
            update.created_at,
        ]


register(
    Dataset(
        name="updates",
        title=_("Fortschrittsberichte"),
        description=_("Berichte über den Fortschritt der Umsetzung."),
        columns=(
            ID,
            PROJECT_ID,
            Column("milestone_id", "integer", _("Meilenstein (milestones.id), falls einer.")),
            Column("posted_as", "string", _("Im Namen von (Fachbereich, Verein, Gruppe).")),
            Column("text", "string", _("Text (Markdown).")),
            Column("created_at", "datetime", _("Veröffentlicht (UTC).")),
        ),
        rows=_updates,
        source=lambda town: Update.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk")),
    )
)

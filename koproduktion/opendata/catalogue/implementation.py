"""The implementation plan and its progress reports."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.implementation.models import Milestone, MilestoneStatus, Update

from ..datasets import Column, Dataset, register
from .common import ID, PROJECT_ID, name_column, public_projects


def _milestones(town: Municipality) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(municipality=town, project__is_published=True)
        .select_related("responsible_department", "responsible_organisation")
        .order_by("project_id", "target_date", "pk")
    )


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
            name_column(
                "responsible_department",
                _("Verantwortlicher Fachbereich."),
                of="responsible_department",
            ),
            name_column(
                "responsible_organisation",
                _("Verantwortliche Organisation."),
                of="responsible_organisation",
            ),
            Column("responsible_group", "string", _("Verantwortliche Gruppe von Bürger*innen.")),
            Column(
                "delay_reason",
                "string",
                _("Grund der Verzögerung (nur bei delayed)."),
                # As the pages: an old reason stays unsaid once the milestone is on time again.
                lambda milestone, _town: (
                    milestone.delay_reason if milestone.status == MilestoneStatus.DELAYED else ""
                ),
            ),
            Column("completed_on", "date", _("Erledigt am.")),
        ),
        records=_milestones,
        source=public_projects,
        # The plan's services raise the project's version (counted with the projects).
        stamp=(Count("milestones"),),
    )
)


def _updates(town: Municipality) -> QuerySet[Update]:
    return Update.objects.filter(municipality=town, project__is_published=True)


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
        records=lambda town: _updates(town).order_by("created_at", "pk"),
        source=lambda town: Update.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk")),
    )
)

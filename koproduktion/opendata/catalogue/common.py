"""What the datasets share: columns, the public projects and ideas, small helpers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

from ..datasets import Column

ID = Column("id", "integer", _("Kennung des Datensatzes, eindeutig in dieser Datei."))
PROJECT_ID = Column("project_id", "integer", _("Kennung des Vorhabens (projects.id)."))
URL = Column("url", "string", _("Adresse der öffentlichen Seite."))
TOPIC = Column("topic", "string", _("Thema (Kurzname); leer ohne Thema."))
NEIGHBOURHOOD = Column(
    "neighbourhood", "string", _("Quartier (Kurzname); leer, wenn es die ganze Kommune betrifft.")
)
LATITUDE = Column("latitude", "number", _("Breitengrad (WGS 84); leer ohne Ort."))
LONGITUDE = Column("longitude", "number", _("Längengrad (WGS 84); leer ohne Ort."))


def public_projects(town: Municipality) -> QuerySet[Project]:
    return Project.objects.filter(municipality=town, is_published=True)


def slug_of(record: Any) -> str | None:
    return record.slug if record is not None else None


def name_of(record: Any) -> str | None:
    return record.name if record is not None else None


PHASE_KINDS = _("information, dialogue, decision, implementation oder evaluation.")


def shown_ideas(town: Municipality) -> QuerySet[Idea]:
    """Ideas of published projects that neither the moderation hid nor their author withdrew."""
    return Idea.objects.filter(
        municipality=town,
        project__is_published=True,
        hidden_at__isnull=True,
        withdrawn_at__isnull=True,
    )

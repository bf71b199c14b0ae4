"""What the datasets share: columns, the public projects and ideas, small helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koproduktion.core.links import absolute_url
from koproduktion.core.models import Municipality
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

from ..datasets import Column

ID = Column("id", "integer", _("Kennung des Datensatzes, eindeutig in dieser Datei."))
PROJECT_ID = Column("project_id", "integer", _("Kennung des Vorhabens (projects.id)."))
TOPIC = Column(
    "topic", "string", _("Thema (Kurzname); leer ohne Thema."), lambda r, _town: slug_of(r.topic)
)
NEIGHBOURHOOD = Column(
    "neighbourhood",
    "string",
    _("Quartier (Kurzname); leer, wenn es die ganze Kommune betrifft."),
    lambda r, _town: slug_of(r.neighbourhood),
)
LATITUDE = Column("latitude", "number", _("Breitengrad (WGS 84); leer ohne Ort."))
LONGITUDE = Column("longitude", "number", _("Längengrad (WGS 84); leer ohne Ort."))


def url_column(name: str, *path: Callable[[Any], Any]) -> Column:
    """The address of a record's public page: the URL ``name`` with the town's slug and the
    record's ``path`` values."""
    return Column(
        "url",
        "string",
        _("Adresse der öffentlichen Seite."),
        lambda r, town: absolute_url(reverse(name, args=[town.slug, *(part(r) for part in path)])),
    )


def public_projects(town: Municipality) -> QuerySet[Project]:
    return Project.objects.filter(municipality=town, is_published=True)


def slug_of(record: Any) -> str | None:
    return record.slug if record is not None else None


def name_of(record: Any) -> str | None:
    return record.name if record is not None else None


def shown_ideas(town: Municipality) -> QuerySet[Idea]:
    """Ideas of published projects that neither the moderation hid nor their author withdrew."""
    return Idea.objects.filter(
        municipality=town,
        project__is_published=True,
        hidden_at__isnull=True,
        withdrawn_at__isnull=True,
    )


def name_column(name: str, description: Promise | str, *, of: str) -> Column:
    """The name of a related record (a department, an organisation); empty without one."""
    return Column(name, "string", description, lambda r, _town: name_of(getattr(r, of)))


def closed_under(records: Iterable[Any], reference: str) -> list[Any]:
    """``records`` as a list, with ``reference`` (the id of another record of the same file)
    emptied where it names one that is left out (hidden, withdrawn). In memory only: the
    records are never saved."""
    kept = list(records)
    ids = {record.pk for record in kept}
    for record in kept:
        if getattr(record, reference) not in ids:
            setattr(record, reference, None)
    return kept

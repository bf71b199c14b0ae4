"""Small helpers the implementation services share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _


def overview_url(project: Any) -> str:
    return reverse("implementation:overview", args=[project.municipality.slug, project.slug])


def task_url(task: Any) -> str:
    project = task.project
    return reverse("implementation:task", args=[project.municipality.slug, project.slug, task.pk])


def check_point(
    municipality: Any, latitude: float | None, longitude: float | None, field: str = "latitude"
) -> None:
    """A place is both coordinates or none, and inside the municipality's area."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(
            {field: _("Bitte geben Sie Breiten- und Längengrad an – oder keinen von beiden.")}
        )
    if not municipality.contains(latitude, longitude):
        raise ValidationError(
            {field: _("Dieser Ort liegt außerhalb von %(name)s.") % {"name": municipality.name}}
        )

"""Ideas as GeoJSON, for the map on the pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from .models import Idea


def idea_feature(idea: Idea, *, project: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        # GeoJSON orders coordinates longitude first.
        "geometry": {"type": "Point", "coordinates": [idea.longitude, idea.latitude]},
        "properties": {
            "id": idea.pk,
            "title": idea.title,
            "status": idea.status,
            "status_label": str(idea.get_status_display()),
            "supports": idea.support_count,
            "comments": idea.comment_count,
            "url": reverse("ideas:detail", args=[project.municipality.slug, project.slug, idea.pk]),
        },
    }


def ideas_geojson(ideas: Iterable[Idea], *, project: Any) -> dict[str, Any]:
    """The ideas that have a place and are shown in public (not hidden by moderation)."""
    return {
        "type": "FeatureCollection",
        "features": [
            idea_feature(idea, project=project)
            for idea in ideas
            if idea.has_point and not idea.is_hidden
        ],
    }

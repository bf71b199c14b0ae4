"""Ideas as GeoJSON, for the map on the pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from .models import Idea, IdeaStatus

# What a feature needs of an idea: enough for ``.only()`` on large lists.
FEATURE_FIELDS = (
    "id",
    "title",
    "status",
    "support_count",
    "comment_count",
    "latitude",
    "longitude",
    "hidden_at",
)


def ideas_geojson(
    ideas: Iterable[Idea], *, project: Any, counts: bool = True, places: bool = False
) -> dict[str, Any]:
    """The ideas that have a place and are shown in public (not hidden by moderation).

    What every feature shares is worked out once: the ideas' address up to the id (the idea's
    page is the list's address followed by its id) and the status labels in the current language.
    The maps on the pages show no counts (``counts=False``): a page keeps its map while the
    counts change (ideas.cards). ``places`` adds the neighbourhood's name and the place as
    written, by which the map drawn on the server lists the ideas (the ideas' neighbourhoods
    must be loaded with them).
    """
    base = reverse("ideas:list", args=[project.municipality.slug, project.slug])
    labels = {status.value: str(status.label) for status in IdeaStatus}
    features = []
    for idea in ideas:
        if idea.latitude is None or idea.hidden_at is not None:
            continue
        properties = {
            "id": idea.pk,
            "title": idea.title,
            "status": idea.status,
            "status_label": labels[idea.status],
        }
        if counts:
            properties["supports"] = idea.support_count
            properties["comments"] = idea.comment_count
        if places:
            properties["neighbourhood"] = idea.neighbourhood.name if idea.neighbourhood else ""
            properties["place"] = idea.address
        properties["url"] = f"{base}{idea.pk}/"
        features.append(
            {
                "type": "Feature",
                # GeoJSON orders coordinates longitude first.
                "geometry": {"type": "Point", "coordinates": [idea.longitude, idea.latitude]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}

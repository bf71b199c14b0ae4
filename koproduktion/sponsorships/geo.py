"""Sponsorship objects as GeoJSON, for the map on the pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import SponsorshipObject


def _status_label(obj: SponsorshipObject, *, sponsored: bool) -> str:
    if not obj.is_active:
        return _("nicht mehr im Register")
    return _("in Patenschaft") if sponsored else _("sucht Pat*innen")


def object_feature(obj: SponsorshipObject, *, municipality: Any) -> dict[str, Any]:
    sponsored = bool(getattr(obj, "is_sponsored", False))
    return {
        "type": "Feature",
        # GeoJSON orders coordinates longitude first.
        "geometry": {"type": "Point", "coordinates": [obj.longitude, obj.latitude]},
        "properties": {
            "id": obj.pk,
            "title": obj.name,
            "kind": obj.kind,
            "kind_label": str(obj.get_kind_display()),
            "sponsored": sponsored,
            "status_label": _status_label(obj, sponsored=sponsored),
            "url": reverse("sponsorships:detail", args=[municipality.slug, obj.pk]),
        },
    }


def objects_geojson(objects: Iterable[SponsorshipObject], *, municipality: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [object_feature(obj, municipality=municipality) for obj in objects],
    }

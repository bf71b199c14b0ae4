"""A map drawn on the server: the town's area and numbered markers, as plain numbers for an SVG.

What every visitor gets without JavaScript (and a screen reader as text beside it), where the
Leaflet map needs scripts and tiles (docs/maps.md). It reads the same GeoJSON features as the
Leaflet map; besides ``title`` and ``url`` a feature may name its ``neighbourhood`` and its
``place`` (street or address), by which the list beside the map is grouped and ordered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 600
PADDING = 24
MIN_SPAN = 0.004  # degrees: a single place is shown with some of its surroundings
MIN_HEIGHT, MAX_HEIGHT = 240, 600


@dataclass(frozen=True)
class Marker:
    number: int
    x: float
    y: float
    title: str
    url: str
    place: str
    note: str  # the feature's status line, if any


@dataclass(frozen=True)
class Group:
    name: str  # the neighbourhood, "" for none
    markers: list[Marker]


@dataclass(frozen=True)
class StaticMap:
    width: int
    height: int
    # The town's area as a rectangle (x, y, width, height), when the town has one.
    outline: tuple[float, float, float, float] | None
    markers: list[Marker]
    groups: list[Group]

    @property
    def grouped(self) -> bool:
        """Whether any place names its neighbourhood (else the list is not grouped)."""
        return any(group.name for group in self.groups)


def _order(feature: Mapping[str, Any]) -> tuple[int, str, str, str]:
    properties = feature["properties"]
    neighbourhood = properties.get("neighbourhood") or ""
    # Places without a neighbourhood come after those with one.
    return (
        0 if neighbourhood else 1,
        neighbourhood.casefold(),
        str(properties.get("place") or "").casefold(),
        str(properties.get("title") or "").casefold(),
    )


def static_map(
    features: Mapping[str, Any] | None,
    area: Sequence[float] | None,
) -> StaticMap | None:
    """The drawing of ``features`` (a GeoJSON FeatureCollection of points) in ``area`` (south,
    west, north, east), or around the points when the town has no area; None when there is
    neither a point nor an area. Markers are numbered in the order of the list: by neighbourhood,
    then street or address, then title."""
    points = sorted(
        (
            feature
            for feature in (features or {}).get("features", ())
            if feature.get("geometry", {}).get("type") == "Point"
        ),
        key=_order,
    )
    if not points and area is None:
        return None
    longitudes = [feature["geometry"]["coordinates"][0] for feature in points]
    latitudes = [feature["geometry"]["coordinates"][1] for feature in points]
    if area is not None:
        south, west, north, east = area
        # A point outside the area (the area was made smaller later) still shows.
        south, north = min([south, *latitudes]), max([north, *latitudes])
        west, east = min([west, *longitudes]), max([east, *longitudes])
    else:
        south, north = _widened(min(latitudes), max(latitudes))
        west, east = _widened(min(longitudes), max(longitudes))
    # Degrees of longitude are shorter than degrees of latitude away from the equator.
    shrink = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * shrink, north - south
    scale = (WIDTH - 2 * PADDING) / span_x
    inner_height = span_y * scale
    height = min(max(inner_height + 2 * PADDING, MIN_HEIGHT), MAX_HEIGHT)
    if inner_height > height - 2 * PADDING:  # very tall: fit the height instead
        scale = (height - 2 * PADDING) / span_y
    offset_x = (WIDTH - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def at(latitude: float, longitude: float) -> tuple[float, float]:
        return (
            round(offset_x + (longitude - west) * shrink * scale, 1),
            round(offset_y + (north - latitude) * scale, 1),
        )

    outline = None
    if area is not None:
        left, top = at(area[2], area[1])
        right, bottom = at(area[0], area[3])
        outline = (left, top, round(right - left, 1), round(bottom - top, 1))
    markers: list[Marker] = []
    groups: list[Group] = []
    for number, feature in enumerate(points, start=1):
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        properties = feature["properties"]
        x, y = at(latitude, longitude)
        marker = Marker(
            number=number,
            x=x,
            y=y,
            title=str(properties.get("title") or ""),
            url=str(properties.get("url") or ""),
            place=str(properties.get("place") or ""),
            note=str(properties.get("status_label") or ""),
        )
        markers.append(marker)
        neighbourhood = str(properties.get("neighbourhood") or "")
        if not groups or groups[-1].name != neighbourhood:
            groups.append(Group(name=neighbourhood, markers=[]))
        groups[-1].markers.append(marker)
    return StaticMap(
        width=WIDTH, height=round(height), outline=outline, markers=markers, groups=groups
    )


def _widened(low: float, high: float) -> tuple[float, float]:
    if high - low >= MIN_SPAN:
        margin = (high - low) * 0.1
        return low - margin, high + margin
    middle = (low + high) / 2
    return middle - MIN_SPAN / 2, middle + MIN_SPAN / 2

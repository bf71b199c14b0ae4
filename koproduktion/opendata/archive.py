"""A town's open data as one ZIP: every dataset as CSV and JSON, ``datapackage.json`` (the data
dictionary, a Frictionless Data Package) and a README.

Building reads every public record of the town, so it is done once per state of the data,
not per download. The state is the town's fingerprint: its content version, its licence and
each dataset's stamp (aggregates that change when its rows change), asked at most once a
minute. A built ZIP is kept in the cache under the fingerprint; while one process builds,
others serve the previous ZIP or answer "try again shortly". Changes that no stamp sees (a
town-wide event edited in place) show within ``ARCHIVE_TIMEOUT`` (docs/open-data.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koproduktion.core.csv_export import csv_text
from koproduktion.core.licences import licence_of
from koproduktion.core.links import absolute_url
from koproduktion.core.models import Municipality

from .datasets import Dataset, cell, datasets, json_value

# How long a built ZIP is kept, and so how late a change that no stamp sees shows at most.
ARCHIVE_TIMEOUT = 60 * 60
# How long a town's fingerprint is trusted before it is asked again.
FINGERPRINT_TIMEOUT = 60
# How long one build may hold the lock before another process may try.
BUILD_LOCK_TIMEOUT = 5 * 60


def fingerprint(town: Municipality, *, fresh: bool = False) -> str:
    """What the town's open data looks like now, as a short hash (one query per dataset)."""
    key = f"opendata:fingerprint:{town.pk}"
    known = None if fresh else cache.get(key)
    if known is not None:
        return known
    parts: list[Any] = [
        town.pk,
        Municipality.objects.filter(pk=town.pk).values_list("content_version", flat=True).first(),
        town.open_data_licence,
        town.name,
    ]
    for dataset in datasets():
        aggregates = {f"s{i}": aggregate for i, aggregate in enumerate(dataset.stamp)}
        parts.append((dataset.name, dataset.source(town).order_by().aggregate(**aggregates)))
    found = hashlib.sha256(repr(parts).encode()).hexdigest()[:20]
    cache.set(key, found, FINGERPRINT_TIMEOUT)
    return found


def zip_filename(town: Municipality) -> str:
    return f"{town.slug}.zip"


def rows_as_dicts(dataset: Dataset, town: Municipality) -> list[dict[str, Any]]:
    names = dataset.header
    return [dict(zip(names, map(json_value, row), strict=True)) for row in dataset.rows(town)]


def datapackage(town: Municipality) -> dict[str, Any]:
    """The data dictionary: every file, every column with its type and meaning, the licence."""
    licence = licence_of(town.open_data_licence)
    resources = []
    for dataset in datasets():
        schema = {
            "fields": [
                {"name": column.name, "type": column.type, "description": str(column.description)}
                for column in dataset.columns
            ]
        }
        for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json")):
            resources.append(
                {
                    "name": dataset.name if fmt == "csv" else f"{dataset.name}-json",
                    "path": f"{dataset.name}.{fmt}",
                    "profile": "tabular-data-resource",
                    "title": str(dataset.title),
                    "description": str(dataset.description),
                    "format": fmt,
                    "mediatype": mediatype,
                    "encoding": "utf-8",
                    "schema": schema,
                }
            )
    return {
        "profile": "tabular-data-package",
        "name": f"koproduktion-{town.slug}",
        "title": _("Offene Daten: %(town)s") % {"town": town.name},
        "homepage": absolute_url(reverse("opendata:index", args=[town.slug])),
        "created": json_value(timezone.now()),
        "licenses": [{"name": licence.name, "path": licence.path, "title": licence.title}],
        "sources": [
            {
                "title": town.name,
                "path": absolute_url(reverse("projects:municipality", args=[town.slug])),
            }
        ],
        "resources": resources,
    }


def readme(town: Municipality, package: dict[str, Any]) -> str:
    licence = licence_of(town.open_data_licence)
    lines = [
        _("Offene Daten: %(town)s") % {"town": town.name},
        "",
        _("Stand: %(created)s (UTC)") % {"created": package["created"]},
        _("Lizenz: %(title)s – %(path)s") % {"title": licence.title, "path": licence.path},
    ]
    if licence.attribution:
        lines.append(_("Quelle bei jeder Nutzung nennen: %(town)s") % {"town": town.name})
    lines += [
        "",
        _(
            "Jeder Datensatz liegt als CSV (UTF-8, Komma, erste Zeile mit den Spaltennamen) und "
            "als JSON (eine Liste von Objekten) bei. datapackage.json beschreibt jede Datei und "
            "jede Spalte mit Typ und Bedeutung (Frictionless Data Package)."
        ),
        _(
            "Zeiten in UTC nach ISO 8601, Daten als JJJJ-MM-TT, Wahrheitswerte als true/false, "
            "Geldbeträge in Cent. Eine leere Zelle heißt: keine Angabe."
        ),
        _(
            "In den CSV-Dateien beginnt ein Text, der mit = + - @ anfängt, mit einem Apostroph, "
            "damit Tabellenprogramme ihn nicht als Formel ausführen; das JSON enthält ihn "
            "unverändert."
        ),
        _(
            "Keine personenbezogenen Daten: keine Namen, Pseudonyme oder E-Mail-Adressen von "
            "Personen, keine Konten-Kennungen, von Abstimmungen nur die gezählten Summen."
        ),
        "",
        _("Dateien:"),
    ]
    lines += [
        f"- {dataset.name}.csv, {dataset.name}.json: {dataset.title}. {dataset.description}"
        for dataset in datasets()
    ]
    return "\n".join(lines) + "\n"


def build_archive(town: Municipality) -> bytes:
    """The ZIP of the town's open data, in the current language (the dictionary's words)."""
    out = io.BytesIO()
    package = datapackage(town)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for dataset in datasets():
            rows = rows_as_dicts(dataset, town)
            archive.writestr(
                f"{dataset.name}.csv",
                csv_text(
                    [
                        dataset.header,
                        *([cell(row[name]) for name in dataset.header] for row in rows),
                    ]
                ),
            )
            archive.writestr(f"{dataset.name}.json", json.dumps(rows, ensure_ascii=False, indent=1))
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        archive.writestr("README.txt", readme(town, package))
    return out.getvalue()


@dataclass(frozen=True)
class Archive:
    content: bytes
    fingerprint: str


class Busy(Exception):
    """Another process builds the town's ZIP right now, and there is no earlier one to give."""


def archive_of(town: Municipality) -> Archive:
    """The town's ZIP for the current fingerprint, built only when none is kept for it."""
    language = get_language() or "de"
    current = fingerprint(town)
    key = f"opendata:zip:{town.pk}:{language}:{current}"
    latest_key = f"opendata:latest:{town.pk}:{language}"
    content = cache.get(key)
    if content is not None:
        return Archive(content, current)
    lock = f"opendata:building:{town.pk}:{language}"
    if not cache.add(lock, 1, BUILD_LOCK_TIMEOUT):
        latest = cache.get(latest_key)
        if latest is None:
            raise Busy
        return Archive(*latest)
    try:
        content = build_archive(town)
        cache.set(key, content, ARCHIVE_TIMEOUT)
        cache.set(latest_key, (content, current), ARCHIVE_TIMEOUT)
    finally:
        cache.delete(lock)
    return Archive(content, current)


def member_of(archive: Archive, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        return opened.read(name)


def etag_of(archive: Archive) -> str:
    return hashlib.sha256(archive.content).hexdigest()[:32]

"""The town's open data page, the ZIP and its files one by one, and the Atom feeds."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koproduktion.core.licences import licence_of
from koproduktion.core.models import Municipality
from koproduktion.core.page_cache import cached_for_visitors
from koproduktion.core.selectors import municipality_content_version, municipality_get

from .archive import Archive, Busy, archive_of, etag_of, member_of, zip_filename
from .datasets import Dataset, dataset_get, datasets
from .feeds import ProjectFeed, TownFeed

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# Browsers and proxies may keep a download this long; the ETag answers after that.
MAX_AGE = 60

town_feed = require_safe(TownFeed())
project_feed = require_safe(ProjectFeed())


@require_safe
@cached_for_visitors(municipality_content_version)
def index_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    return render(
        request,
        "opendata/index.html",
        {
            "municipality": municipality,
            "licence": licence_of(municipality.open_data_licence),
            "datasets": datasets(),
            "zip_name": zip_filename(municipality),
        },
    )


def _download(
    request: HttpRequest, archive: Archive, content: bytes, **headers: str
) -> HttpResponse:
    etag = f'"{etag_of(archive)}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, **headers)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _busy(*, as_json: bool = False) -> HttpResponse:
    """Another process builds the ZIP and there is none yet to give: try again shortly."""
    reason = _(
        "Die Daten werden gerade zusammengestellt. Bitte versuchen Sie es gleich noch einmal."
    )
    response = (
        HttpResponse(json.dumps({"detail": reason}), status=503, content_type=CONTENT_TYPES["json"])
        if as_json
        else HttpResponse(reason, status=503, content_type="text/plain; charset=utf-8")
    )
    response["Retry-After"] = "10"
    return response


@require_safe
def archive_view(request: HttpRequest, municipality_slug: str, archive_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if archive_slug != municipality.slug:
        raise Http404
    try:
        archive = archive_of(municipality)
    except Busy:
        return _busy()
    response = _download(request, archive, archive.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{zip_filename(municipality)}"'
    return response


def dataset_response(
    request: HttpRequest, municipality: Municipality, dataset: Dataset, fmt: str, *, api: bool
) -> HttpResponse:
    """One file of the ZIP, taken from the kept ZIP (so a flood builds nothing either); for the
    API without the download's name, and a refusal in JSON."""
    try:
        archive = archive_of(municipality)
    except Busy:
        return _busy(as_json=api)
    name = f"{dataset.name}.{fmt}"
    response = _download(
        request, archive, member_of(archive, name), content_type=CONTENT_TYPES[fmt]
    )
    if not api:
        response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-{name}"'
    return response


@require_safe
def dataset_view(
    request: HttpRequest, municipality_slug: str, dataset: str, fmt: str
) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    found = dataset_get(dataset)
    if found is None:
        raise Http404
    return dataset_response(request, municipality, found, fmt, api=False)

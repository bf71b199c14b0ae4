"""Uploaded files: served only to whoever may see their record, and only as downloads.

A file's address is looked up to the record that holds it (the upload field whose folder the name
begins with, ``core.uploads``), and that field's ``view_rule`` is asked with the record: a draft
project's documents reach its administration, as the draft does. A file that no record names (its
record deleted, or put into the folder by other means) is served to nobody. Refusals are 404s, so
an address tells nothing about whether a file is there.

Whatever a file holds (files stored before uploads were checked may hold anything), it is sent as
an attachment, with the type of the kind it was stored as (anything else is bytes), ``nosniff`` so
the browser does not guess another, and a policy that allows nothing and sandboxes the document,
should a browser show it all the same. An ``<img>`` ignores Content-Disposition, so photos still
show in pages. ``Cache-Control: private``: a shared cache must not hand one person's file to the
next.

With ``MEDIA_INTERNAL_URL`` set, the app only decides, and the web server sends the file from an
``internal`` location (``X-Accel-Redirect``, docs/deploy.md); the headers set here go with it.
"""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import rules
from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from .uploads import CONTENT_TYPES, _UploadFieldMixin

FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private",
}
# Records sharing one file name (a copy made by hand) are few; one that may be seen is enough.
_SHARING = 10


def content_type_of(name: str) -> str:
    """The type a stored file is served with: that of its kind, or plain bytes."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")


@cache
def upload_fields() -> dict[str, list[Any]]:
    """Every upload field of the installed models, by the folder its files are stored in."""
    by_folder: dict[str, list[Any]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, _UploadFieldMixin):
                by_folder.setdefault(field.folder, []).append(field)
    return by_folder


def may_fetch(name: str, user: Any) -> bool:
    """Whether ``user`` may see a record whose upload field holds the file ``name``."""
    for field in upload_fields().get(name.split("/", 1)[0], []):
        if not field.view_rule:
            continue
        model: type[models.Model] = field.model
        holders = model._default_manager.filter(**{field.name: name}).select_related(
            *field.view_related
        )[:_SHARING]
        if any(rules.test_rule(field.view_rule, user, record) for record in holders):
            return True
    return False


@require_safe
def media_file(request: HttpRequest, path: str) -> HttpResponse:
    name = posixpath.normpath(path).lstrip("/")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, name))
    except SuspiciousFileOperation as error:
        raise Http404 from error
    if not full.is_file() or not may_fetch(name, request.user):
        raise Http404
    response: HttpResponse
    internal = getattr(settings, "MEDIA_INTERNAL_URL", "")
    if internal:
        # The web server sends the file (and answers If-Modified-Since itself).
        response = HttpResponse(content_type=content_type_of(full.name))
        response["X-Accel-Redirect"] = internal.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(True, full.name)
    else:
        modified = full.stat().st_mtime
        if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
            response = HttpResponseNotModified()
        else:
            response = FileResponse(
                full.open("rb"),
                as_attachment=True,
                filename=full.name,
                content_type=content_type_of(full.name),
            )
            response["Last-Modified"] = http_date(modified)
    for header, value in FILE_HEADERS.items():
        response[header] = value
    return response

"""Uploaded files, served as downloads: never as pages of the site.

Whatever a file holds (files stored before uploads were checked may hold anything), it is sent as
an attachment, with the type of the kind it was stored as (``core.uploads``; anything else is
bytes), ``nosniff`` so the browser does not guess another, and a policy that allows nothing and
sandboxes the document, should a browser show it all the same. An ``<img>`` ignores
Content-Disposition, so photos still show in pages.

Production servers should serve ``MEDIA_ROOT`` themselves with the same headers (docs/deploy.md);
what reaches the app is served here.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from .uploads import CONTENT_TYPES

FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def content_type_of(name: str) -> str:
    """The type a stored file is served with: that of its kind, or plain bytes."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")


@require_safe
def media_file(request: HttpRequest, path: str) -> HttpResponse:
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
    except SuspiciousFileOperation as error:
        raise Http404 from error
    if not full.is_file():
        raise Http404
    modified = full.stat().st_mtime
    response: HttpResponse
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

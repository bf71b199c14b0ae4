"""The API's request bodies: JSON, refused with a reason in the person's language.

django-ninja turns anything its parser raises into a 400 with its own English sentence; the
API's handler for ``HttpError`` (``api.py``) shows the reason of a ``BodyRefused`` instead.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser


class BodyRefused(ValueError):
    """Why a request's body cannot be read, as the person should read it."""


def _has_nul(data: Any) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_has_nul(key) or _has_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_has_nul(item) for item in data)
    return False


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body)
        except ValueError as error:  # not JSON, or not UTF-8
            raise BodyRefused(
                _("Der Inhalt der Anfrage ist kein gültiges JSON in UTF-8.")
            ) from error
        # Text with a NUL character cannot be stored (PostgreSQL refuses it); forms refuse it too.
        if _has_nul(data):
            raise BodyRefused(_("Der Inhalt der Anfrage enthält ein Nullzeichen."))
        return data

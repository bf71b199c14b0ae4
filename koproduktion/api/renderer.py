"""The API's JSON: every string without the characters that reorder text.

New titles, names and texts are stored without bidi controls (``core.plain_text``); pages are
cleaned of what was stored before by ``core.middleware.StripBidiControlsMiddleware``, which reads
the rendered bytes. JSON escapes the controls (``\\u202e``) and cannot be cleaned that way, so
the data is cleaned before it is encoded: every answer of the API goes through here, errors too.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from koproduktion.core.plain_text import plain_data


class PlainTextJSONRenderer(JSONRenderer):
    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        if isinstance(data, BaseModel):
            data = data.model_dump()
        return super().render(request, plain_data(data), response_status=response_status)

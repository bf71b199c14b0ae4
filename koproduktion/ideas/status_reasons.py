"""Reasons for a status change that the platform writes, in the reader's language.

A recorded decision gives its linked ideas a status with the body, the date and the outcome as
the reason. Stored as text, that reason stayed in the language of the staff member who recorded
it; stored as a code and its values (``IdeaStatusChange.reason_code`` and ``reason_params``) it is
put into words when shown. The apps that write such reasons declare how to word them in a
``status_reasons.py`` of their own (``@status_reason("decision")``), so ``ideas`` imports none of
the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

# The reason ``ideas.services.idea_merge`` gives a duplicate: {"id": …, "title": …} of the original.
MERGED = "merged"

Renderer = Callable[[dict[str, Any]], str]
_renderers: dict[str, Renderer] = {}


def status_reason(code: str) -> Callable[[Renderer], Renderer]:
    """Register ``renderer(params)`` for the reasons stored with ``code``."""

    def register(renderer: Renderer) -> Renderer:
        _renderers[code] = renderer
        return renderer

    return register


def status_reason_text(change: Any) -> str:
    """What the platform wrote, in the active language, followed by what people wrote."""
    if not change.reason_code:
        return change.reason
    # Imports every installed app's status_reasons.py once (Django remembers imported modules).
    autodiscover_modules("status_reasons")
    renderer = _renderers.get(change.reason_code)
    written = change.reason.strip()
    if renderer is None:
        return written
    return f"{renderer(change.reason_params)} {written}".strip()


@status_reason(MERGED)
def _merged(params: dict[str, Any]) -> str:
    return _("Zusammengeführt mit der gleichartigen Idee „%(title)s“.") % {
        "title": params.get("title", "")
    }

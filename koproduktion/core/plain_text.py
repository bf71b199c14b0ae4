"""Text as typed, without the invisible characters that reorder or disguise it.

Bidi controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates) reorder what
follows them: a title with U+202E RIGHT-TO-LEFT OVERRIDE shows its text, and the rest of the
line, backwards. Names and titles are one line, where the invisible marks and spaces (U+200B,
U+200E, U+200F, U+061C, U+2060, U+FEFF) serve no purpose but to make one pseudonym look like
another. Zero-width (non-)joiners stay: scripts such as Persian and emoji sequences need them.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE_IN_A_LINE = BIDI_CONTROLS + "\u200b\u200e\u200f\u061c\u2060\ufeff"

_TEXT = str.maketrans(dict.fromkeys(BIDI_CONTROLS))
_LINE = str.maketrans(dict.fromkeys(INVISIBLE_IN_A_LINE))
# The controls as UTF-8 (E2 80 AA–AE, E2 81 A6–A9), for answers already rendered.
BIDI_CONTROLS_UTF8 = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def plain_line(value: str) -> str:
    """A title, name or pseudonym without bidi controls and invisible marks."""
    cleaned = value.translate(_LINE)
    return cleaned.strip() if cleaned != value else value


def plain_text(value: str) -> str:
    """A longer text (Markdown) without bidi controls."""
    return value.translate(_TEXT)


def plain_data(value: Any) -> Any:
    """JSON-like data (dicts, lists, strings …) with every string, keys too, as ``plain_text``.

    For answers in JSON, which escapes the controls (``\\u202e``), so that a filter of the encoded
    bytes would have to tell an escape from a backslash typed as text: the strings are cleaned
    before they are encoded instead.
    """
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, dict):
        return {plain_data(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    return value


def strip_invisible(instance: models.Model) -> None:
    """Clean every text field of ``instance`` in place: one-line fields with ``plain_line``,
    longer texts with ``plain_text``."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and value:
                clean = plain_text if isinstance(field, models.TextField) else plain_line
                setattr(instance, field.attname, clean(value))


class PlainTextModel(models.Model):
    """Stores people's text without bidi controls: cleaned before validation (so uniqueness and
    required fields see the text as it will be stored) and again on every save."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        strip_invisible(self)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: list[str] | None = None) -> None:
        strip_invisible(self)
        super().clean_fields(exclude=exclude)

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>")


def no_html(value: str) -> None:
    """Refuse HTML tags in user text: Markdown formats, and a tag is either a mistake or an attack.

    Rendering sanitises anyway; refusing tells the person why their text would not look as typed.
    """
    if _TAG.search(value or ""):
        raise ValidationError(
            _(
                "Bitte keine HTML-Tags verwenden. Formatieren können Sie mit Markdown, z. B. **fett**."
            ),
            code="html",
        )

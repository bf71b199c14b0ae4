"""Numbers as the reader writes them: grouping, decimal sign and the per cent sign.

``USE_THOUSAND_SEPARATOR`` stays off: it would group every number a template prints, also the
ids in addresses, anchors and form values ("eintrag-1.234"). Amounts and shares people read go
through these functions (and the template filters ``euros``, ``grouped`` and ``percent``), which
group in both languages alike (German "12.345 €", English "12,345 €").
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def euros(cents: int) -> str:
    """Whole euros: 1234500 → "12.345 €" (German), "12,345 €" (English)."""
    return f"{number_format(round(cents / 100), force_grouping=True)} €"


def percent(value: float | int | str) -> str:
    """A share in per cent: "58 %" (German, with a space), "58%" (English)."""
    return _("%(number)s %%") % {"number": number_format(value)}

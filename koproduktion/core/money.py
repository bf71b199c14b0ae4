"""Amounts of money as people type them, in the language of the page; stored as integer cents.

German: ``12.500,50`` (a dot groups thousands, a comma starts the cents); English: ``12,500.50``.
In either language a plain ``12500.50`` (no grouping, a point before the cents) is read as well,
as spreadsheets and other programs write it. Anything that could be read two ways is refused
rather than guessed: in English ``1.500`` is neither 1.5 nor 1,500.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

# Ten billion euros: more than any municipal budget, far below the database's integers.
MAX_CENTS = 10**12
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN = re.compile(r"^(\d+)(?:\.(\d{1,2}))?$")


def _local_pattern() -> re.Pattern[str]:
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    d, t = re.escape(decimal), re.escape(thousands)
    return re.compile(rf"^(\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}(\d{{1,2}}))?$")


def parse_cents(text: str) -> int:
    """``text`` in euros as typed on a page in the active language → cents.

    Raises ValidationError with a message that shows the expected form.
    """
    value = _SPACES.sub("", str(text)).removesuffix("€").removesuffix("EUR").removeprefix("€")
    if value.startswith("-"):
        raise ValidationError(_("Bitte geben Sie keinen negativen Betrag an."), code="negative")
    thousands = get_format("THOUSAND_SEPARATOR")
    match = _local_pattern().match(value)
    if match:
        whole, cents = match.group(1).replace(thousands, ""), match.group(2) or ""
    elif plain := _PLAIN.match(value):
        whole, cents = plain.group(1), plain.group(2) or ""
    else:
        raise ValidationError(
            _("Bitte geben Sie einen Betrag in Euro an, zum Beispiel %(example)s.")
            % {"example": format_cents(1250050)},
            code="invalid",
        )
    amount = int(whole) * 100 + int(cents.ljust(2, "0"))
    if amount > MAX_CENTS:
        raise ValidationError(_("Dieser Betrag ist zu groß."), code="too_large")
    return amount


def format_cents(cents: int) -> str:
    """Cents as a person of the active language types euros: 1250050 → "12.500,50" (German)."""
    return number_format(Decimal(cents) / 100, decimal_pos=2, force_grouping=True)


class EuroField(forms.Field):
    """A form field for an amount in euros, read in the page's language; cleans to cents.

    ``min_cents``: the smallest amount accepted (for example 1 where nothing is free).
    """

    widget = forms.TextInput

    def __init__(self, *, min_cents: int = 0, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.min_cents = min_cents
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "30"})

    def prepare_value(self, value: object) -> object:
        # An initial value comes from the model in cents; what was typed comes back as typed.
        if isinstance(value, int):
            return format_cents(value)
        return value

    def to_python(self, value: object) -> int | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if len(text) > 30:  # no amount needs more
            raise ValidationError(_("Dieser Betrag ist zu groß."), code="too_large")
        cents = parse_cents(text)
        if cents < self.min_cents:
            raise ValidationError(
                _("Der Betrag muss mindestens %(amount)s € betragen.")
                % {"amount": format_cents(self.min_cents)},
                code="too_small",
            )
        return cents

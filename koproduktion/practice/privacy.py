"""Practice examples in the data download and on account deletion (see accounts.personal_data)."""

from __future__ import annotations

from koproduktion.accounts.personal_data import register

from .models import PracticeExample

register(
    name="practice_examples_written",
    model=PracticeExample,
    field="created_by",
    values=("title", "municipality__name", "year", "is_published", "created_at"),
    kept="the town's account of its own work, written in office; the writer is not shown and "
    "becomes the anonymous account",
)

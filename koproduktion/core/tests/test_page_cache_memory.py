"""What a process keeps of the shared page cache in its own memory stays within its budget."""

from __future__ import annotations

from koproduktion.core.page_cache import _Recent


def test_the_oldest_go_first_when_the_budget_is_spent():
    recent = _Recent(budget=1000)
    for n in range(8):
        recent.put(f"page {n}", "x" * 100)
    assert recent.get("page 0") == "x" * 100  # used lately: kept before the others
    for n in range(8, 11):
        recent.put(f"page {n}", ("y" * 100, "text/html"))
    assert recent.size <= 1000
    assert recent.get("page 0") is not None
    assert recent.get("page 1") is None
    assert recent.get("page 10") == ("y" * 100, "text/html")


def test_a_page_larger_than_an_eighth_of_the_budget_is_not_kept():
    recent = _Recent(budget=800)
    recent.put("large", "z" * 101)
    assert recent.get("large") is None
    assert recent.size == 0

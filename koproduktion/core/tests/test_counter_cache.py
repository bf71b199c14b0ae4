"""The database cache of counters that holds the rate limits without Redis."""

from __future__ import annotations

import pytest
from django.db import transaction

from koproduktion.core import counter_cache
from koproduktion.core.counter_cache import DatabaseCounterCache
from koproduktion.core.models import RateCounter

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(counter_cache, "time", clock)
    # BaseCache computes the moment a timeout ends from the same clock.
    monkeypatch.setattr("django.core.cache.backends.base.time", clock)
    return clock


@pytest.fixture
def counters() -> DatabaseCounterCache:
    return DatabaseCounterCache("", {})


def test_add_creates_a_counter_once_and_incr_raises_it(counters):
    assert counters.add("a", 1, timeout=60)
    assert not counters.add("a", 1, timeout=60)
    assert counters.incr("a") == 2
    assert counters.incr("a", 5) == 7
    assert counters.get("a") == 7
    with pytest.raises(ValueError, match="not found"):
        counters.incr("b")


def test_an_expired_counter_is_absent_and_starts_again(counters, clock):
    counters.add("a", 1, timeout=60)
    counters.incr("a")
    clock.now += 60
    assert counters.get("a") is None
    with pytest.raises(ValueError, match="not found"):
        counters.incr("a")
    assert counters.add("a", 1, timeout=60)
    assert counters.get("a") == 1


def test_expired_rows_are_deleted_now_and_then(counters, clock):
    for n in range(3):
        counters.add(f"old-{n}", 1, timeout=10)
    clock.now += counter_cache.CULL_INTERVAL
    counters.add("new", 1, timeout=10)
    assert list(RateCounter.objects.values_list("cache_key", flat=True)) == [":1:new"]


def test_set_touch_delete_and_clear(counters, clock):
    counters.set("a", 5, timeout=None)
    counters.set("a", 6, timeout=10)
    assert counters.get("a") == 6
    assert counters.touch("a", timeout=100)
    clock.now += 50
    assert counters.has_key("a")
    assert counters.delete("a")
    assert not counters.delete("a")
    counters.set("b", 1)
    counters.clear()
    assert not RateCounter.objects.exists()


def test_only_integers_are_counted(counters):
    for value in ("1", 1.5, True, None):
        with pytest.raises(TypeError, match="integers"):
            counters.set("a", value)


def test_counters_are_raised_or_started_together(counters, clock):
    assert counters.add_or_incr_many([("a", 60), ("b", 600)]) == [1, 1]
    assert counters.add_or_incr_many([("a", 60), ("b", 600)]) == [2, 2]
    clock.now += 60
    assert counters.add_or_incr_many([("a", 60), ("b", 600)]) == [1, 3]
    assert counters.get("a") == 1


@transaction.atomic
def _count_then_fail(counters: DatabaseCounterCache) -> None:
    counters.add_or_incr_many([("a", 60)])
    raise RuntimeError


def test_a_count_inside_a_transaction_is_undone_with_it(counters):
    counters.add("a", 1, timeout=60)
    with pytest.raises(RuntimeError):
        _count_then_fail(counters)
    assert counters.get("a") == 1

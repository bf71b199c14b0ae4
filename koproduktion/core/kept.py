"""What a process keeps in its own memory: small, bounded, and forgotten on demand.

``Kept`` holds values that are the same for everyone who asks, for as long as their key says
they are: the key names the version of what they were made from, so a change makes a new key
and the old entry is pushed out by use. ``seconds`` bounds how long an entry may be used at
all, for changes that no version sees (writes past the services).

Every ``Kept`` is registered, so that ``forget_kept`` empties them all at once (tests, and
benchmarks that measure what a first request costs).
"""

from __future__ import annotations

import pickle
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

Key = TypeVar("Key")
Value_ = TypeVar("Value_")
Copied = TypeVar("Copied")

_all: weakref.WeakSet[Kept] = weakref.WeakSet()


class Kept(Generic[Key, Value_]):
    """What a process keeps: at most ``size`` entries, the least recently used out first, each
    for ``seconds`` (``None``: until it is pushed out)."""

    def __init__(self, size: int, seconds: float | None = None) -> None:
        self.size = size
        self.seconds = seconds
        self.entries: OrderedDict[Key, tuple[float, Value_]] = OrderedDict()
        self.lock = threading.Lock()
        _all.add(self)

    def get_or_make(self, key: Key, make: Callable[[], Value_]) -> Value_:
        now = time.monotonic()
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and entry[0] > now:
                self.entries.move_to_end(key)
                return entry[1]
        value = make()  # outside the lock: two threads may make it once each, both right
        until = now + self.seconds if self.seconds is not None else float("inf")
        with self.lock:
            self.entries[key] = (until, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def kept_copy(kept: Kept[Key, bytes], key: Key, make: Callable[[], Copied]) -> Copied:
    """``make()`` kept pickled under ``key``; each call gets a copy of its own, which the caller
    may change (model instances a page reads and annotates)."""
    pickled = kept.get_or_make(key, lambda: pickle.dumps(make()))
    return pickle.loads(pickled)  # noqa: S301 - pickled by this process from its own database


def forget_kept() -> None:
    """Empty everything every ``Kept`` of this process holds."""
    for kept in list(_all):
        kept.clear()

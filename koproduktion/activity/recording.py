"""Recording acts as they happen: a save of a source's model (``sources.py``) records its act.

The act is recorded after the transaction that made it commits, in a statement of its own:
the write people wait for (a vote, a support) stays as short as it was, and a failure here can
never undo it (``activity_rebuild`` fills any gap). Dependencies point down: the domain apps do
not know this module; it listens to their models' saves.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from .sources import SOURCES, Source

_paused = contextvars.ContextVar("activity_recording_paused", default=False)


@contextmanager
def recording_paused() -> Iterator[None]:
    """Record no act for the saves inside: for bulk work that rebuilds the town's acts
    afterwards in one pass (``seed_demo``), where one recording per save is wasted work."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _saved(source: Source, sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not (created or source.on_change) or _paused.get():
        return
    from .services import activities_record  # noqa: PLC0415 - services import the sources

    pk = instance.pk
    transaction.on_commit(partial(activities_record, source=source, pks=[pk]))


def connect() -> None:
    for index, source in enumerate(SOURCES):
        post_save.connect(
            partial(_saved, source),
            sender=source.model,
            weak=False,
            dispatch_uid=f"activity:{index}:{source.kind}",
        )

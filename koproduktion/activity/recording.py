"""Recording acts as they happen: a save of a source's model (``sources.py``) records its act.

The act is recorded after the transaction that made it commits, in a transaction of its own:
the write people wait for (a vote, a support) stays as short as it was, and a failure here can
never undo it (``activity_rebuild`` fills any gap). Dependencies point down: the domain apps do
not know this module; it listens to their models' saves.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from .sources import SOURCES, Source


def _saved(source: Source, sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not (created or source.on_change):
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

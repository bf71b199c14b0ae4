"""What the platform keeps about a person, declared app by app, for the download and for erasure.

Every app lists, in its ``privacy.py``, each of its fields that points at a person (a foreign key
or a many-to-many field to the user model) with ``register``:

- ``values``: what the data download shows of each row (the row's ``id`` always comes first);
- ``erase``: what deleting the account does to these rows, through the app's services; or
- ``kept``: why the rows stay, pointing at the anonymous account that remains (public
  contributions, records of what staff did, the fact of a secret-ballot participation).

``accounts/tests/test_privacy.py`` walks every model and fails when a field that points at a
person is not registered here, so a new model cannot be forgotten by the download or the erasure.

Apps may also register a ``retention`` step: what ``manage.py anonymise_participants`` clears in
projects that ended long enough ago (it gets a queryset of those projects' ids).

Dependencies point down: the apps register here; this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

Eraser = Callable[[Any], None]
RetentionStep = Callable[[QuerySet], int]


@dataclass(frozen=True)
class PersonalData:
    """One field pointing at a person, with what the download and the erasure do with it."""

    name: str  # the file in the download, without ".json"
    model: type[models.Model]
    field: str
    values: tuple[str, ...]
    erase: Eraser | None
    kept: str
    # Erasure runs in ascending order; roles (which the other steps' rules may ask) go last.
    order: int

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def rows(self, user: Any) -> QuerySet:
        return self.model._default_manager.filter(**{self.field: user})

    def export(self, user: Any) -> list[dict[str, Any]]:
        rows = self.rows(user).order_by("pk").values("pk", *self.values)
        # Shown as "id" also where the primary key is another field (a one-to-one to the person).
        return [{"id": row.pop("pk"), **row} for row in rows]


_REGISTRY: dict[str, PersonalData] = {}
_RETENTION: dict[str, RetentionStep] = {}


def register(
    *,
    name: str,
    model: type[models.Model],
    field: str,
    values: Iterable[str],
    erase: Eraser | None = None,
    kept: str = "",
    order: int = 0,
) -> None:
    """Declare ``model.field`` as pointing at a person; exactly one of ``erase`` and ``kept``."""
    if (erase is None) == (not kept):
        raise ValueError(f"{name}: give either erase or the reason the rows are kept")
    entry = PersonalData(
        name=name,
        model=model,
        field=field,
        values=tuple(values),
        erase=erase,
        kept=kept,
        order=order,
    )
    if name in _REGISTRY and _REGISTRY[name].label != entry.label:
        raise ValueError(f"{name} is registered twice")
    _REGISTRY[name] = entry


def register_retention(name: str, step: RetentionStep) -> None:
    """``step(project_ids)`` anonymises what is no longer needed; returns how many rows changed."""
    _RETENTION[name] = step


def _discover() -> None:
    # Imports every installed app's privacy.py once (Django remembers imported modules).
    autodiscover_modules("privacy")


def registered() -> list[PersonalData]:
    _discover()
    return sorted(_REGISTRY.values(), key=lambda entry: (entry.order, entry.name))


def retention_steps() -> dict[str, RetentionStep]:
    _discover()
    return dict(sorted(_RETENTION.items()))

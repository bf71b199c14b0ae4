"""The administration's log: which service a person ran, on what, and what it changed.

Declared once per service with ``@audited(...)``, placed directly below ``@transaction.atomic``, so
the entry is written in the service's own transaction (a refused or failed change leaves none):

    @transaction.atomic
    @audited(_("Status einer Idee geändert"), target="idea", fields=("status",))
    def idea_set_status(*, actor, idea, status, reason=""): ...

The decorator reads the declared fields of the target from the database before the service runs
and again after it, and keeps only the fields that changed. Every decorated service lands in
``REGISTRY``; a test compares it with the services the apps define, so none is forgotten.

Privacy: fields that hold personal data (``PRIVATE_FIELDS``, e.g. a birth date) are logged as "set",
never with their value, and the records of secret ballots (``NEVER_LOGGED``) cannot be a target.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models
from django.db.models.fields.files import FieldFile

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .models import AuditEntry

# Personal data that the log records as "set", never as its value.
PRIVATE_FIELDS = frozenset({"birth_date", "password", "code_hash", "token_hash"})
# What a person voted is secret, and so is whether they voted: these records are never a target.
NEVER_LOGGED = frozenset(
    {
        "decisions.ballot",
        "decisions.ballotline",
        "decisions.participation",
        "opinions.statementvote",
    }
)
# Kept by the services as derived state; a change of them is not an act of a person.
DERIVED_FIELDS = frozenset(
    {"id", "content_version", "support_count", "comment_count", "vote_count", "taken"}
)
REDACTED = {"redacted": True}
PLATFORM_ADMIN = "platform_admin"

Target = str | tuple[str, ...] | Callable[[Mapping[str, Any]], models.Model | None]


@dataclass(frozen=True)
class Audited:
    """How one service is logged; ``REGISTRY`` maps the action's name to it."""

    action: str
    label: Promise | str
    service: Callable[..., Any]
    target: Target | None
    result: Callable[[Any], models.Model] | None
    fields: tuple[str, ...] | None
    actor: str
    reason: str
    municipality: str | None
    when: Callable[[Mapping[str, Any]], bool] | None


REGISTRY: dict[str, Audited] = {}


def action_name(func: Callable[..., Any]) -> str:
    """``ideas.idea_set_status`` for ``koproduktion.ideas.services.idea_set_status``."""
    return f"{func.__module__.split('.')[1]}.{func.__name__}"


def audited(
    label: Promise | str,
    *,
    target: Target | None = None,
    result: Callable[[Any], models.Model] | None = None,
    fields: Iterable[str] | None = None,
    actor: str = "actor",
    reason: str = "reason",
    municipality: str | None = None,
    when: Callable[[Mapping[str, Any]], bool] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log every call of the decorated service as an ``AuditEntry``.

    ``label``: what the action is called on the log page. ``target``: the keyword argument holding
    the record the service changes (a tuple: the first of them given), or a function of the
    keyword arguments that finds it; without one, the record the service returns (``result``
    picks it out of a tuple). ``fields``: what to compare (default: every field of the record).
    ``actor``/``reason``: the keyword arguments naming the person and the stated reason.
    ``municipality``: the keyword argument naming the town, where the target belongs to none (a
    person). ``when``: log only calls for which it is true (a resident's own idea is no act of
    the administration; one recorded on behalf is).
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        spec = Audited(
            action=action_name(func),
            label=label,
            service=func,
            target=target,
            result=result,
            fields=None if fields is None else tuple(fields),
            actor=actor,
            reason=reason,
            municipality=municipality,
            when=when,
        )
        REGISTRY[spec.action] = spec

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> Any:
            if spec.when is not None and not spec.when(kwargs):
                return func(**kwargs)
            if not connection.in_atomic_block:
                raise RuntimeError(
                    f"{spec.action}: @audited must sit below @transaction.atomic, so the entry "
                    "is written in the service's transaction"
                )
            return _run(spec, func, kwargs)

        wrapper.audited = spec  # type: ignore[attr-defined]
        return wrapper

    return decorate


def lookup(model: type[models.Model], arguments: Mapping[str, str], **constant: Any) -> Callable:
    """A ``target`` that finds the existing record a service will change or replace.

    ``arguments`` maps the model's fields to the service's keyword arguments:
    ``lookup(Verification, {"user": "user", "municipality": "municipality"})``.
    """

    def find(kwargs: Mapping[str, Any]) -> models.Model | None:
        filters = {field: kwargs[name] for field, name in arguments.items()}
        return model._default_manager.filter(**filters, **constant).first()

    return find


def _find_target(spec: Audited, kwargs: Mapping[str, Any]) -> models.Model | None:
    if spec.target is None:
        return None
    if callable(spec.target):
        return spec.target(kwargs)
    names = (spec.target,) if isinstance(spec.target, str) else spec.target
    return next((kwargs[name] for name in names if kwargs.get(name) is not None), None)


def _run(spec: Audited, func: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    actor = kwargs.get(spec.actor)
    record = _find_target(spec, kwargs)
    known_pk = None if record is None else record.pk
    before = None if known_pk is None else _snapshot(record, known_pk, spec.fields)
    roles_before = _roles_by_municipality(actor)
    value = func(**kwargs)
    if record is None:
        record = spec.result(value) if spec.result else value
    # Django forgets the key of a record it deleted; the entry keeps it.
    pk = record.pk if record.pk is not None else known_pk
    after = _snapshot(record, pk, spec.fields)
    municipality_id = (
        kwargs[spec.municipality].pk if spec.municipality else record.municipality_id  # type: ignore[union-attr]
    )
    if after is None and _is_municipality(record):
        return value  # the town and its log are gone together
    changed_before, changed_after = _changes(before, after)
    _record(
        municipality_id=municipality_id,
        actor=actor,
        roles=roles_before.get(municipality_id, frozenset()),
        action=spec.action,
        target=record,  # type: ignore[arg-type]
        target_pk=pk,
        before=changed_before,
        after=changed_after,
        reason=str(kwargs.get(spec.reason) or "").strip(),
    )
    return value


def _is_municipality(record: Any) -> bool:
    return record._meta.label_lower == "core.municipality"


def _roles_by_municipality(actor: Any) -> dict[int, frozenset[str]]:
    from .rules import roles_by_municipality  # noqa: PLC0415 - the rules load the models

    return roles_by_municipality(actor)


def _record(
    *,
    municipality_id: int,
    actor: Any,
    roles: Iterable[str],
    action: str,
    target: models.Model,
    target_pk: Any,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
) -> AuditEntry:
    from .models import AuditEntry  # noqa: PLC0415 - services import this before the models

    label = target._meta.label_lower
    if label in NEVER_LOGGED:
        raise ValueError(f"{label} is secret and never written to the log")
    held = sorted(str(role) for role in roles)
    if getattr(actor, "is_superuser", False):
        held.append(PLATFORM_ADMIN)
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        municipality_id=municipality_id,
        actor=actor if authenticated else None,
        actor_name=person_label(actor) if authenticated else "",
        actor_roles=held,
        action=action,
        target_type=label,
        target_id=target_pk,
        target_repr=_label(target)[:300],
        before=before,
        after=after,
        reason=reason,
    )


def person_label(user: Any) -> str:
    """A person as the log shows them: the public name, never the e-mail address."""
    return getattr(user, "public_name", "") or f"#{user.pk}"


def _label(obj: models.Model) -> str:
    if obj._meta.label == settings.AUTH_USER_MODEL:
        return person_label(obj)
    return str(obj)


def _fields(model: type[models.Model], names: tuple[str, ...] | None) -> list[models.Field]:
    if names is not None:
        return [model._meta.get_field(name) for name in names]  # type: ignore[misc]
    return [
        field
        for field in (*model._meta.concrete_fields, *model._meta.many_to_many)
        if field.name not in DERIVED_FIELDS and field.name != "municipality"
    ]


def _snapshot(record: Any, pk: Any, names: tuple[str, ...] | None) -> dict[str, Any] | None:
    """The fields of ``record`` (row ``pk``) as stored now, for JSON; None when it is not stored."""
    model = type(record)
    fields = _fields(model, names)
    if not fields:
        exists = pk is not None and model._base_manager.filter(pk=pk).exists()
        return {} if exists else None
    relations = [f.name for f in fields if f.many_to_one or f.one_to_one]
    stored = model._base_manager.select_related(*relations).filter(pk=pk).first()
    if stored is None:
        return None
    values = {}
    for field in fields:
        if field.many_to_many:
            value: Any = sorted(_label(related) for related in getattr(stored, field.name).all())
        elif field.one_to_many:  # a reverse relation, named explicitly: how many there are
            value = getattr(stored, field.get_accessor_name()).count()
        elif field.many_to_one or field.one_to_one:
            related = getattr(stored, field.name)
            value = None if related is None else _label(related)
        else:
            value = _plain(field.value_from_object(stored))
        values[field.name] = value
    return values


def _plain(value: Any) -> Any:  # noqa: PLR0911 - one case per kind of value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or value in ("", [])


def _given(value: Any) -> bool:
    """What a new (or deleted) record shows: not the empty defaults, no zero, no "no"."""
    return not _empty(value) and value is not False and value != 0


def _changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what changed; a new record shows what it was given, a deleted one what it held."""
    if before is None:
        return {}, _redact({k: v for k, v in (after or {}).items() if _given(v)})
    if after is None:
        return _redact({k: v for k, v in before.items() if _given(v)}), {}
    names = [name for name in after if before.get(name) != after[name]]
    return (
        _redact({name: before.get(name) for name in names}),
        _redact({name: after[name] for name in names}),
    )


def _redact(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: REDACTED if name in PRIVATE_FIELDS and not _empty(value) else value
        for name, value in values.items()
    }


# Helpers for the common ``when`` conditions.
def keyword_differs(name: str, default: Any) -> Callable[[Mapping[str, Any]], bool]:
    """``when``: the call passed ``name`` with a value other than its default."""
    return lambda kwargs: kwargs.get(name, default) != default


def any_of(*conditions: Callable[[Mapping[str, Any]], bool]) -> Callable[[Mapping[str, Any]], bool]:
    return lambda kwargs: any(condition(kwargs) for condition in conditions)

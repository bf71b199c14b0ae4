"""Writes of the participation charter: a promise given, changed or taken back.

The answer promise's number is the town's ``Municipality.answer_within_days`` (read by the
department inbox and the response times): setting it goes through
``municipality_answer_time_set``, logged on the town.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.accounts.models import User
from koproduktion.core.audit import audited, lookup
from koproduktion.core.models import Municipality
from koproduktion.core.permissions import require
from koproduktion.core.services import municipality_content_changed

from .models import LARGEST, NUMBER_ON_THE_PROMISE, UNITS, WEEKS, CharterPromise, PromiseKind

REFUSED = gettext_lazy("Die Beteiligungsleitlinien bearbeiten die Admins der Kommune.")


def _check_number(kind: PromiseKind, number: int | None) -> None:
    unit = UNITS.get(kind)
    if unit is None:
        return
    largest = LARGEST[unit]
    if number is None:
        raise ValidationError({"number": _("Bitte nennen Sie die Frist.")})
    if not 1 <= number <= largest:
        message = (
            _("Bitte eine Zahl von 1 bis %(largest)s Wochen.")
            if unit == WEEKS
            else _("Bitte eine Zahl von 1 bis %(largest)s Tagen.")
        )
        raise ValidationError({"number": message % {"largest": largest}})


@transaction.atomic
@audited(
    gettext_lazy("Versprechen der Beteiligungsleitlinien gespeichert"),
    target=lookup(CharterPromise, {"municipality": "municipality", "kind": "kind"}),
    fields=["kind", "number", "note"],
)
def charter_promise_set(
    *,
    actor: User,
    municipality: Municipality,
    kind: PromiseKind,
    number: int | None = None,
    note: str = "",
) -> CharterPromise:
    """Give the promise ``kind`` (or change it): with its number where it has one."""
    require("charter.can_edit", actor, municipality, str(REFUSED))
    kind = PromiseKind(kind)
    _check_number(kind, number)
    promise = CharterPromise.objects.select_for_update().filter(
        municipality=municipality, kind=kind
    ).first() or CharterPromise(municipality=municipality, kind=kind)
    promise.number = number if kind in NUMBER_ON_THE_PROMISE else None
    promise.note = note.strip()
    promise.full_clean(validate_unique=False)
    promise.save()
    if kind == PromiseKind.ANSWER and number != municipality.answer_within_days:
        municipality_answer_time_set(actor=actor, municipality=municipality, days=number)
    return promise


@transaction.atomic
@audited(
    gettext_lazy("Versprochene Antwortzeit geändert"),
    target="municipality",
    fields=["answer_within_days"],
)
def municipality_answer_time_set(
    *, actor: User, municipality: Municipality, days: int | None
) -> Municipality:
    """The days within which every idea and question gets an official answer."""
    require("charter.can_edit", actor, municipality, str(REFUSED))
    _check_number(PromiseKind.ANSWER, days)
    Municipality.objects.filter(pk=municipality.pk).update(answer_within_days=days)
    municipality.answer_within_days = days  # type: ignore[assignment]
    # The inboxes' cached pages say what is overdue: keyed by the town's version.
    municipality_content_changed(municipality_id=municipality.pk)
    return municipality


@transaction.atomic
@audited(
    gettext_lazy("Versprechen der Beteiligungsleitlinien zurückgenommen"),
    target="promise",
    fields=["kind", "number", "note"],
)
def charter_promise_remove(*, actor: User, promise: CharterPromise) -> None:
    """Take a promise back: the charter page no longer shows it, nor its figures."""
    require("charter.can_edit", actor, promise, str(REFUSED))
    promise.delete()

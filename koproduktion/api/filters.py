"""A town's neighbourhood or topic named in a query (``?neighbourhood=<slug>``), or a 400 with the
reason: an unknown filter is bad input, never an empty list that looks like an answer."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from koproduktion.core.models import Municipality, Neighbourhood, Topic

T = TypeVar("T", bound=Model)


def _named_or_400(
    model: type[T], municipality: Municipality, slug: str | None, reason: str
) -> T | None:
    """None where none is asked for."""
    if not slug:
        return None
    found = model._default_manager.filter(municipality=municipality, slug=slug).first()
    if found is None:
        raise HttpError(400, reason)
    return found


def neighbourhood_or_400(municipality: Municipality, slug: str | None) -> Neighbourhood | None:
    return _named_or_400(
        Neighbourhood, municipality, slug, _("Dieses Quartier gibt es hier nicht.")
    )


def topic_or_400(municipality: Municipality, slug: str | None) -> Topic | None:
    return _named_or_400(Topic, municipality, slug, _("Dieses Thema gibt es hier nicht."))

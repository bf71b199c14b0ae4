"""A town's neighbourhood or topic named in a query (``?neighbourhood=<slug>``), or a 400 with the
reason: an unknown filter is bad input, never an empty list that looks like an answer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import HttpError

from koproduktion.core.models import Municipality, Neighbourhood, Topic


def neighbourhood_or_400(municipality: Municipality, slug: str | None) -> Neighbourhood | None:
    """None where no neighbourhood is asked for."""
    if not slug:
        return None
    found = Neighbourhood.objects.filter(municipality=municipality, slug=slug).first()
    if found is None:
        raise HttpError(400, _("Dieses Quartier gibt es hier nicht."))
    return found


def topic_or_400(municipality: Municipality, slug: str | None) -> Topic | None:
    """None where no topic is asked for."""
    if not slug:
        return None
    found = Topic.objects.filter(municipality=municipality, slug=slug).first()
    if found is None:
        raise HttpError(400, _("Dieses Thema gibt es hier nicht."))
    return found

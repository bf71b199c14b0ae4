"""Reads of the charter."""

from __future__ import annotations

from django.db.models import QuerySet

from koproduktion.core.models import Municipality

from .models import CharterPromise


def charter_promises(*, municipality: Municipality) -> list[CharterPromise]:
    """The promises the town gives, in the charter's order."""
    promises: QuerySet[CharterPromise] = CharterPromise.objects.filter(municipality=municipality)
    return sorted(promises, key=lambda promise: promise.position)

"""Fixtures of the tests beside the browser tests (those in e2e/ have their own)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[Any]:
    """The demo town, seeded once for the test module (``bad_input_demo``)."""
    from .bad_input_demo import seeded_demo  # noqa: PLC0415 - models load after Django is set up

    yield from seeded_demo(django_db_blocker)


@pytest.fixture
def web() -> Client:
    """A client that gets the answer a person would get, instead of the exception."""
    return Client(raise_request_exception=False)

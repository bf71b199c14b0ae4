"""The hand-counted town of ``world.py``, with its funnel computed."""

from __future__ import annotations

import pytest

from koproduktion.activity.services import funnel_compute

from . import world as w


@pytest.fixture
def town() -> w.World:
    made = w.build()
    funnel_compute(municipality=made.town)
    return made

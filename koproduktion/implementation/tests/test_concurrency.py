"""Fifty people sign up for the same shift at once: exactly ``capacity`` get a place.

Needs PostgreSQL: SQLite serialises all writers on one file lock, so it cannot show a race (and
with its in-memory test database, threads would not even share the data). CI runs the suite on
both databases.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from koproduktion.implementation import services
from koproduktion.implementation.models import Commitment, Shift
from koproduktion.implementation.tests.factories import ShiftFactory, resident_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real row locks; SQLite serialises every write",
    ),
]

PEOPLE = 50
CAPACITY = 7


def test_fifty_concurrent_sign_ups_never_overbook():
    shift = ShiftFactory(capacity=CAPACITY)
    task = shift.task
    people = [resident_of(task.project) for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign_up(person):
        try:
            start.wait()
            services.task_commit(actor=person, task=task, shift=shift)
            result = "ok"
        except ValidationError as refused:
            result = refused.code or "refused"
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == CAPACITY
    assert outcomes.count("full") == PEOPLE - CAPACITY
    assert Commitment.objects.filter(shift=shift).count() == CAPACITY
    assert Shift.objects.get(pk=shift.pk).taken == CAPACITY

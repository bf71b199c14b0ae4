"""Two people take the last place at once: one gets it, the other the waiting list.

Needs PostgreSQL: SQLite serialises all writers on one file lock, so it cannot show a race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from koproduktion.events import services
from koproduktion.events.models import Event, Registration, RegistrationStatus

from .factories import EventFactory, resident_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real row locks; SQLite serialises every write",
    ),
]

PEOPLE = 20
CAPACITY = 5


def test_concurrent_registrations_never_overbook():
    event = EventFactory(capacity=CAPACITY)
    people = [resident_of(event) for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    errors: list[Exception] = []

    def register(person):
        try:
            start.wait()
            services.event_register(actor=person, event=event)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITING) == PEOPLE - CAPACITY
    assert Event.objects.get(pk=event.pk).taken == CAPACITY

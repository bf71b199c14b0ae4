"""Many people support at once, some twice: the count is the number of supporters.

Needs PostgreSQL: SQLite serialises all writers on one file lock, so it cannot show a race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from .. import services
from ..models import Initiative, Supporter
from .factories import initiative, resident

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real row locks; SQLite serialises every write",
    ),
]

PEOPLE = 12


def test_concurrent_supports_and_double_clicks_count_each_person_once():
    made = initiative()
    people = [resident(made.municipality) for _ in range(PEOPLE)]
    # Every person sends twice; the first three also take it back afterwards.
    attempts = [person for person in people for _ in range(2)]
    start = threading.Barrier(len(attempts))
    unexpected: list[Exception] = []

    def support(person):
        try:
            start.wait()
            services.initiative_support(actor=person, initiative=made)
        except Exception as error:
            if "bereits" not in str(error):
                unexpected.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=support, args=(person,)) for person in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    for person in people[:3]:
        services.initiative_unsupport(actor=person, initiative=made)
    stored = Supporter.objects.filter(initiative=made).count()
    assert stored == PEOPLE - 3
    assert Initiative.objects.get(pk=made.pk).support_count == stored

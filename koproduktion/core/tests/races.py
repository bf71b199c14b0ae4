"""Running writes at the same moment, for the tests of races (on PostgreSQL only).

SQLite serialises all writers on one file lock, so it cannot show a race; ``ON_POSTGRESQL`` is
the ``pytestmark`` of such a test module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import pytest
from django.db import close_old_connections, connection

ON_POSTGRESQL = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real row locks; SQLite serialises every write",
    ),
]


def at_once(calls: Sequence[Callable[[], object]]) -> list[Exception]:
    """Start ``calls`` in threads released together; the exceptions they raised."""
    start = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors

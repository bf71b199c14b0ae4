"""On PostgreSQL, what a connection runs often is prepared: parsed and planned once.

A vote of a live map is six short statements, and half of what PostgreSQL spent on them was
parsing and planning each again (bench/RESULTS.md). Parameters are bound on the server, so
psycopg prepares a statement from its fifth run on a connection; an operator behind a pooler
that hands connections out by transaction turns it off (``DATABASE_PREPARED_STATEMENTS``).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.settings.database import PREPARE_THRESHOLD, database_settings

URL = "postgres://kp@db.example:5432/koproduktion"


def test_postgresql_binds_on_the_server_and_prepares_unless_turned_off():
    options = database_settings(URL, conn_max_age=60)["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == PREPARE_THRESHOLD
    off = database_settings(URL, conn_max_age=60, prepared_statements=False)
    assert "server_side_binding" not in off.get("OPTIONS", {})
    assert "prepare_threshold" not in off.get("OPTIONS", {})
    sqlite = database_settings("sqlite:////tmp/k.sqlite3", conn_max_age=0)["OPTIONS"]
    assert "server_side_binding" not in sqlite


@pytest.mark.django_db
def test_a_page_asked_again_runs_prepared_statements_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    town = MunicipalityFactory()
    client = Client()
    for _ in range(PREPARE_THRESHOLD + 1):
        assert client.get(f"/{town.slug}/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        (prepared,) = cursor.fetchone()
    assert prepared > 0
